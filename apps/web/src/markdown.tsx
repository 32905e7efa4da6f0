import { marked } from 'marked';
import DOMPurify from 'dompurify';

/** Markdown made from a scan is untrusted text: rendered, then sanitised before it reaches the page. */
export function Markdown({ source, lang }: { source: string; lang?: string }) {
  const html = DOMPurify.sanitize(marked.parse(source, { async: false, gfm: true }));
  return <div class="markdown" dir="auto" lang={lang} dangerouslySetInnerHTML={{ __html: html }} />;
}
