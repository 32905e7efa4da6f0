import type { IXmlableObject } from 'docx';

/*
 * The XML of an object from docx's `prepForXml` (`{ "w:p": [{ _attr: {...} }, { "w:r": [...] }] }`),
 * written exactly as docx writes its parts without indentation. docx does not export its writer;
 * this is its rules (the `xml` package's, quirks included) for the unindented case, so a Word
 * document written a page at a time holds the same bytes as one docx writes whole.
 */

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['&', '&amp;'],
  ['"', '&quot;'],
  ["'", '&apos;'],
  ['<', '&lt;'],
  ['>', '&gt;'],
]);

/** Strings escaped (control characters XML cannot hold dropped); numbers and booleans as they are. */
function escapeValue(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  // eslint-disable-next-line no-control-regex -- the control characters XML 1.0 cannot hold are the point
  return value.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => ESCAPES.get(c) ?? '');
}

function attributes(attr: Record<string, unknown>): string[] {
  return Object.entries(attr).map(([key, value]) => `${key}="${escapeValue(value)}"`);
}

export function stringifyXmlable(element: IXmlableObject): string {
  const name = Object.keys(element)[0];
  if (name === undefined) return '';
  const values: unknown = element[name];
  const attrs: string[] = [];
  // Text of the element, or its children: "" markers stand where docx's writer keeps them, since
  // they decide between <x/> and <x></x>.
  const content: string[] = [];
  if (typeof values === 'object' && values !== null) {
    const { _attr: attr, _cdata: cdata } = values as { _attr?: Record<string, unknown>; _cdata?: string };
    if (attr) attrs.push(...attributes(attr));
    if (cdata) content.push(`<![CDATA[${cdata.replace(/\]\]>/g, ']]]]><![CDATA[>')}]]>`);
    if (Array.isArray(values)) {
      let text = false;
      content.push('');
      for (const value of values as unknown[]) {
        if (typeof value === 'object' && value !== null) {
          const child = value as IXmlableObject;
          if (Object.keys(child)[0] === '_attr') attrs.push(...attributes(child['_attr'] as Record<string, unknown>));
          else content.push(stringifyXmlable(child));
        } else {
          content.pop();
          text = true;
          content.push(value === undefined ? '' : escapeValue(value));
        }
      }
      if (!text) content.push('');
    }
  } else if (typeof values !== 'object') {
    content.push(values === undefined ? '' : escapeValue(values));
  }
  const open = `<${name}${attrs.length > 0 ? ` ${attrs.join(' ')}` : ''}`;
  return content.length === 0 ? `${open}/>` : `${open}>${content.join('')}</${name}>`;
}
