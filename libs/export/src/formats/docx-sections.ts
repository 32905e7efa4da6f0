import {
  AlignmentType,
  HeadingLevel,
  LevelFormat,
  PageOrientation,
  Paragraph,
  SectionType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalMergeType,
  WidthType,
  type FileChild,
  type ISectionOptions,
  type NumberingDefinition,
} from 'docx';
import type { Table as OcrTable } from '@ocr/domain';
import type { PageView } from '@ocr/jobs';
import { joinLines } from '@ocr/layout';
import { columnWeights, pageElements, tableGrid, type PageElement } from './docx-layout';

/*
 * A Word document a person would edit: paragraphs reflowed (not one per scanned line), headings in
 * Word's Heading styles, list items in real Word lists, tables as Word tables, one section per page
 * so pages break where the original did and keep their orientation.
 */

const TWIPS_PER_INCH = 1440;
const MARGIN = TWIPS_PER_INCH;
const A4 = { width: 11906, height: 16838 };

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

const RTL_SCRIPTS = new Set(['Arabic', 'Hebrew', 'Syriac', 'Thaana']);

/** The page's physical size when it is a plausible paper size, else A4; landscape when wider than tall. */
function pageSize(page: PageView): { width: number; height: number; orientation: (typeof PageOrientation)[keyof typeof PageOrientation] } {
  const landscape = (page.width ?? 0) > (page.height ?? 0);
  let width = A4.width;
  let height = A4.height;
  if (page.width && page.height && page.dpi) {
    const short = (Math.min(page.width, page.height) / page.dpi) * TWIPS_PER_INCH;
    const long = (Math.max(page.width, page.height) / page.dpi) * TWIPS_PER_INCH;
    // Below 5 inches a photo's pixel size says nothing about paper, and text would not fit.
    if (short >= 5 * TWIPS_PER_INCH && long <= 17 * TWIPS_PER_INCH) {
      width = Math.round(short);
      height = Math.round(long);
    }
  }
  // docx swaps width and height itself for landscape, so it is given the portrait dimensions.
  return { width, height, orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT };
}

// ---------------------------------------------------------------------------------------------
// Lists: the marker read on the page becomes Word numbering, so it is not in the text twice.

const BULLET = /^[•·▪◦‣●○■□➢►–—*-]\s+/u;
const ORDERED = /^(\()?(\d{1,3}|[a-z]|[ivxlc]{1,5})([.)])\s+/iu;

interface ListStyle {
  format: (typeof LevelFormat)[keyof typeof LevelFormat];
  /** Word's level text, e.g. "%1." or "(%1)". */
  template: string;
  start: number;
}

function romanValue(s: string): number {
  const v: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100 };
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const cur = v[s[i]!.toLowerCase()] ?? 0;
    const next = v[s[i + 1]?.toLowerCase() ?? ''] ?? 0;
    total += cur < next ? -cur : cur;
  }
  return Math.max(1, total);
}

/** The list style a marker asks for and the item text without it. */
function listMarker(text: string): { style: ListStyle; text: string } {
  const bullet = BULLET.exec(text);
  if (bullet) return { style: { format: LevelFormat.BULLET, template: '•', start: 1 }, text: text.slice(bullet[0].length) };
  const ordered = ORDERED.exec(text);
  if (!ordered) return { style: { format: LevelFormat.BULLET, template: '•', start: 1 }, text };
  const [whole, open, label = '', close = '.'] = ordered;
  const template = `${open ? '(' : ''}%1${close}`;
  const rest = text.slice(whole.length);
  const upper = label === label.toUpperCase();
  if (/^\d+$/.test(label)) return { style: { format: LevelFormat.DECIMAL, template, start: Number(label) }, text: rest };
  // A lone letter is a letter, except "i", which starts a roman list far more often than the ninth letter does.
  if (label.length === 1 && !/^i$/i.test(label)) {
    const start = label.toLowerCase().charCodeAt(0) - 96;
    return { style: { format: upper ? LevelFormat.UPPER_LETTER : LevelFormat.LOWER_LETTER, template, start }, text: rest };
  }
  return { style: { format: upper ? LevelFormat.UPPER_ROMAN : LevelFormat.LOWER_ROMAN, template, start: romanValue(label) }, text: rest };
}

/** Numbering definitions by key, each made once; every run of list items is its own instance. */
export class Lists {
  private readonly definitions = new Map<string, NumberingDefinition>();
  private instance = 0;
  private current: { key: string; instance: number } | null = null;

  /** Ends the current list: the next item starts a new one. */
  break(): void {
    this.current = null;
  }

  item(style: ListStyle): { reference: NumberingDefinition; instance: number } {
    const key = `${style.format}|${style.template}|${style.format === LevelFormat.BULLET ? 1 : style.start}`;
    let definition = this.definitions.get(key);
    if (!definition) {
      definition = {
        reference: `list-${this.definitions.size + 1}`,
        levels: [
          {
            level: 0,
            format: style.format,
            text: style.template,
            start: style.format === LevelFormat.BULLET ? 1 : style.start,
            alignment: AlignmentType.LEFT,
            style: { paragraph: { indent: { left: 720, hanging: 360 } } },
          },
        ],
      };
      this.definitions.set(key, definition);
    }
    // A new list when the previous item was not a list item or asked for another style; the
    // numbers that follow are Word's, counted from the first item's.
    if (!this.current || (this.current.key !== key && !this.continues(key))) this.current = { key, instance: ++this.instance };
    return { reference: this.definitions.get(this.current.key) ?? definition, instance: this.current.instance };
  }

  /** "3." after "2." is the same list even though, alone, it would ask for a list starting at 3. */
  private continues(key: string): boolean {
    if (!this.current) return false;
    const [format, template] = key.split('|');
    const [curFormat, curTemplate] = this.current.key.split('|');
    return format === curFormat && template === curTemplate && format !== LevelFormat.BULLET;
  }
}

// ---------------------------------------------------------------------------------------------

interface Direction {
  rtl: boolean;
}

function paragraphsOf(text: string, dir: Direction): Paragraph[] {
  const parts = text.split('\n');
  return parts.map((part) => new Paragraph({ bidirectional: dir.rtl || undefined, children: [new TextRun({ text: part, rightToLeft: dir.rtl || undefined })] }));
}

function wordTable(table: OcrTable, textWidth: number, dir: Direction): Table {
  const weights = columnWeights(table);
  const sum = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.max(200, Math.round((w / sum) * textWidth)));
  let column = 0;
  const rows = tableGrid(table).map((slots) => {
    column = 0;
    const cells = slots.map((slot) => {
      const span = slot.kind === 'empty' ? 1 : slot.colSpan;
      const width = widths.slice(column, column + span).reduce((a, b) => a + b, 0);
      column += span;
      return new TableCell({
        children: slot.kind === 'start' ? paragraphsOf(slot.text, dir) : [new Paragraph({})],
        width: { size: width, type: WidthType.DXA },
        columnSpan: span > 1 ? span : undefined,
        verticalMerge:
          slot.kind === 'start' && slot.rowSpan > 1 ? VerticalMergeType.RESTART : slot.kind === 'continue' ? VerticalMergeType.CONTINUE : undefined,
      });
    });
    return new TableRow({ children: cells });
  });
  return new Table({
    rows,
    columnWidths: widths,
    width: { size: widths.reduce((a, b) => a + b, 0), type: WidthType.DXA },
    visuallyRightToLeft: dir.rtl || undefined,
  });
}

function elementChildren(element: PageElement, lists: Lists, textWidth: number, dir: Direction): FileChild[] {
  if (element.kind === 'table') {
    lists.break();
    // An empty paragraph after the table keeps two adjacent tables from merging into one in Word.
    return [wordTable(element.table, textWidth, dir), new Paragraph({})];
  }
  const text = joinLines(element.lines.map((l) => l.text));
  if (!text) return [];
  const common = { bidirectional: dir.rtl || undefined };
  const { block } = element;
  if (block.kind === 'list_item') {
    const marker = listMarker(text);
    const { reference, instance } = lists.item(marker.style);
    return [
      new Paragraph({
        ...common,
        numbering: { reference, level: 0, instance },
        children: [new TextRun({ text: marker.text, rightToLeft: dir.rtl || undefined })],
      }),
    ];
  }
  lists.break();
  if (block.kind === 'heading') {
    const level = Math.min(6, Math.max(1, block.level ?? 2));
    return [new Paragraph({ ...common, heading: HEADINGS[level - 1], children: [new TextRun({ text, rightToLeft: dir.rtl || undefined })] })];
  }
  // Space after a body paragraph, as between the paragraphs of the page; Word's Normal style has none.
  return [new Paragraph({ ...common, spacing: { after: 120 }, children: [new TextRun({ text, rightToLeft: dir.rtl || undefined })] })];
}

export function pageSection(page: PageView, first: boolean, lists: Lists): ISectionOptions {
  const size = pageSize(page);
  const textWidth = (size.orientation === PageOrientation.LANDSCAPE ? size.height : size.width) - 2 * MARGIN;
  const dir = { rtl: RTL_SCRIPTS.has(page.script ?? '') };
  lists.break();
  const children = pageElements(page.blocks, page.tables ?? []).flatMap((e) => elementChildren(e, lists, textWidth, dir));
  return {
    properties: {
      type: first ? undefined : SectionType.NEXT_PAGE,
      page: { size, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } },
    },
    // A section needs a paragraph; a page with no text (or that failed) stays as an empty page.
    children: children.length > 0 ? children : [new Paragraph({})],
  };
}
