import type { Tier } from '@ocr/domain';

/** A tool slug applies a preset; presets are data so new tools need no code in the request path. */
export interface ToolPreset {
  slug: string;
  description: string;
  /** The tier the preset runs on, whatever the request says; null: the request's tier. */
  tier: Tier | null;
  /** True when the preset needs `translate_to`. */
  needsTarget: boolean;
  /** True when the preset needs a model server (the AI tier). */
  needsModel: boolean;
  /** What the vision model is asked on the vlm tier; null: the default transcription prompt. */
  prompt: string | null;
  /** Further settings of the preset, shown to clients as they are. */
  options: Record<string, string | number | boolean>;
}

export const TOOL_PRESETS: readonly ToolPreset[] = [
  {
    slug: 'extract-tables',
    description: 'Recognise tables and their cells: ruled and aligned tables, cells with spans in pages[].tables, CSV and Markdown tables.',
    tier: 'cpu',
    needsTarget: false,
    needsModel: false,
    prompt: null,
    options: {},
  },
  {
    slug: 'handwriting-to-text',
    description: 'Handwritten pages, on the vlm tier.',
    tier: 'vlm',
    needsTarget: false,
    needsModel: true,
    prompt:
      'This page is handwritten. Transcribe the handwriting exactly as written, in reading order, keeping the line ' +
      'breaks of the page (one output line per handwritten line) and the original spelling, including mistakes ' +
      'and hyphenations at line ends. Printed parts (letterheads) are transcribed too. Mark illegible words as ' +
      '[illegible]. Output plain Markdown lines only, with no comment.',
    options: {},
  },
  {
    slug: 'math-to-latex',
    description: 'Pages with mathematics, on the vlm tier: formulas come out as LaTeX in the Markdown.',
    tier: 'vlm',
    needsTarget: false,
    needsModel: true,
    prompt:
      'Transcribe this page as Markdown in reading order, keeping its line breaks. Write every formula in LaTeX: ' +
      'inline as $...$, displayed as $$...$$ on lines of their own. Output only the transcription.',
    options: {},
  },
  {
    slug: 'translate',
    description: 'Recognise (on the requested tier), then translate page by page into translate_to, kept beside the original.',
    tier: null,
    needsTarget: true,
    needsModel: true,
    prompt: null,
    options: { keeps_markdown: true },
  },
];

export function findToolPreset(slug: string): ToolPreset | undefined {
  return TOOL_PRESETS.find((t) => t.slug === slug);
}
