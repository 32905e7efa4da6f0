import type { Tier } from '@ocr/domain';

/** A tool slug applies a preset; presets are data so new tools need no code in the request path. */
export interface ToolPreset {
  slug: string;
  description: string;
  /** The tier the preset runs on, whatever the request says. */
  tier: Tier;
  /** True when the preset needs `translate_to`. */
  needsTarget: boolean;
  /** True when the preset needs a model server (the AI tier). */
  needsModel: boolean;
}

export const TOOL_PRESETS: readonly ToolPreset[] = [
  {
    slug: 'extract-tables',
    description: 'Recognise tables and their cells (structure export arrives with the exports work).',
    tier: 'cpu',
    needsTarget: false,
    needsModel: false,
  },
  {
    slug: 'handwriting-to-text',
    description: 'Handwritten pages, on the vlm tier.',
    tier: 'vlm',
    needsTarget: false,
    needsModel: true,
  },
  {
    slug: 'translate',
    description: 'Recognise, then translate page by page into translate_to.',
    tier: 'cpu',
    needsTarget: true,
    needsModel: true,
  },
];

export function findToolPreset(slug: string): ToolPreset | undefined {
  return TOOL_PRESETS.find((t) => t.slug === slug);
}
