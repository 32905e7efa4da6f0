import { z } from 'zod';
import { AppError, TIERS, type JobOptions, type Tier } from '@ocr/domain';
import { findToolPreset, TOOL_PRESETS } from '@ocr/jobs';
import { resolveLanguages, type LanguageInfo } from '@ocr/ocr';

/** Multipart text fields; empty strings count as absent (HTML forms send them). */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const field = z.preprocess(blankToUndefined, z.string().trim().max(200).optional());

const fieldsSchema = z.object({
  tier: field,
  language: field,
  tool: field,
  translate_to: field,
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
}

function invalid(field: string, message: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError('invalid_field', message, { field, ...extra });
}

export function validateSubmitFields(body: unknown, policy: SubmitPolicy): ValidatedSubmit {
  const parsed = fieldsSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(String(issue?.path[0] ?? 'body'), `invalid field ${String(issue?.path[0])}: ${issue?.message}`);
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
  };
}
