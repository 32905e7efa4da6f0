import { z } from 'zod';
import { AppError, PAGE_SELECTION_PATTERN, parsePageRanges, TIERS, type JobOptions, type PageRanges, type Tier } from '@ocr/domain';
import { findToolPreset, TOOL_PRESETS } from '@ocr/jobs';
import { resolveLanguages, type LanguageInfo } from '@ocr/ocr';

/** Multipart text fields; empty strings count as absent (HTML forms send them). */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const field = z.preprocess(blankToUndefined, z.string().trim().max(200).optional());

/**
 * The multipart text fields of POST /api/v1/ocr/. The OpenAPI document is generated from this
 * schema (ocr.openapi.ts), so what the spec allows is what the server parses. Tier, tool and language
 * are checked below against what this server has; the spec names the tiers and says the rest.
 */
export const submitFieldsSchema = z.object({
  tier: field.meta({ description: "'cpu' (default) or 'vlm' (needs a model server)", examples: ['cpu'] }),
  language: field.meta({ description: "'auto' (default) or codes joined with '+', e.g. 'en', 'eng+deu'", examples: ['auto'] }),
  tool: field.meta({ description: 'a tool preset slug from GET /api/v1/tools/' }),
  translate_to: field.meta({ description: 'with tool=translate: the target language code' }),
  pages: z
    .preprocess(blankToUndefined, z.string().max(200).regex(PAGE_SELECTION_PATTERN, "pages must be page numbers and ranges from 1, e.g. '1-3,5'").optional())
    .meta({
      description: "1-based pages of the file to read, e.g. '1-3,5' (default: all); only those are read and charged; past the last page: 400",
      examples: ['1-3,5'],
    }),
  callback_url: z
    .preprocess(blankToUndefined, z.url({ protocol: /^https?$/, error: 'callback_url must be an http or https URL' }).max(2048).optional())
    .meta({
      description:
        'account tokens only: when the job is done or failed its summary is POSTed here, signed with the account\'s webhook secret ' +
        '(Standard Webhooks headers; GET /api/v1/account/webhook-secret/). Private, loopback and link-local addresses are refused.',
    }),
});

export interface SubmitPolicy {
  languages: LanguageInfo[];
  /** Whether a vision model is configured (AI_BASE_URL + AI_VISION_MODEL): the vlm tier. */
  modelServerConfigured: boolean;
  /** Whether a translation model is configured (AI_BASE_URL + AI_TRANSLATE_MODEL or AI_CHAT_MODEL). */
  translationConfigured?: boolean;
  /** Operator's choice to serve vlm requests on cpu while no model server is configured. */
  vlmFallbackToCpu: boolean;
}

export interface ValidatedSubmit {
  options: JobOptions;
  warnings: string[];
  /** `pages=` as ranges; checked against the page count once the file is inspected. Null: all pages. */
  pages: PageRanges | null;
  /** Syntax checked; its addresses are checked by the caller (they need DNS). */
  callbackUrl: string | null;
}

function invalid(field: string, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('invalid_field', message, { field, ...extra });
}

export function validateSubmitFields(body: unknown, policy: SubmitPolicy): ValidatedSubmit {
  const parsed = submitFieldsSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'body');
    throw invalid(name, name === 'pages' || name === 'callback_url' ? String(issue?.message) : `invalid field ${name}: ${issue?.message}`);
  }
  const f = parsed.data;
  const warnings: string[] = [];

  const tierInput = (f.tier ?? 'cpu').toLowerCase();
  if (!TIERS.includes(tierInput as Tier)) {
    throw invalid('tier', `unknown tier '${f.tier}'; valid: ${TIERS.join(', ')}`, { valid: TIERS });
  }
  let tier = tierInput as Tier;

  const preset = f.tool === undefined ? undefined : findToolPreset(f.tool.toLowerCase());
  if (f.tool !== undefined && !preset) {
    const valid = TOOL_PRESETS.map((t) => t.slug);
    throw invalid('tool', `unknown tool '${f.tool}'; valid: ${valid.join(', ')}`, { valid });
  }
  if (preset?.tier) tier = preset.tier;
  if (preset?.needsTarget && f.translate_to === undefined) {
    throw invalid('translate_to', `tool '${preset.slug}' needs translate_to (a language code)`);
  }
  if (f.translate_to !== undefined && !preset?.needsTarget) {
    throw invalid('translate_to', "translate_to is only used with tool=translate");
  }
  if (f.translate_to !== undefined && resolveLanguages(f.translate_to, policy.languages) === 'auto') {
    throw invalid('translate_to', "translate_to must be a language code, not 'auto'");
  }
  if (preset?.needsTarget && !policy.translationConfigured) {
    throw invalid(
      'tool',
      `tool '${preset.slug}' needs a model server, and none is configured on this server; ` +
        'the operator sets AI_BASE_URL and AI_TRANSLATE_MODEL (or AI_CHAT_MODEL)',
    );
  }
  if (tier === 'vlm' && !policy.modelServerConfigured) {
    if (!policy.vlmFallbackToCpu) {
      throw invalid(
        'tier',
        "tier 'vlm' needs an OpenAI-compatible model server, and none is configured on this server; " +
          'use tier=cpu, or have the operator set AI_BASE_URL and AI_VISION_MODEL (see docs/AI-TIER.md), ' +
          'or VLM_FALLBACK_TO_CPU=true to serve vlm requests on the cpu tier',
      );
    }
    warnings.push("tier 'vlm' is not configured on this server; the document was processed on the cpu tier");
    tier = 'cpu';
  }

  const language = f.language ?? 'auto';
  // Throws a 400 naming the valid codes when the language is unknown.
  resolveLanguages(language, policy.languages);

  return {
    options: { tier, language, tool: preset?.slug ?? null, translate_to: f.translate_to ?? null },
    warnings,
    pages: f.pages === undefined ? null : parsePageRanges(f.pages),
    callbackUrl: f.callback_url ?? null,
  };
}
