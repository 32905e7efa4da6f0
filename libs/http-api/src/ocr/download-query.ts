import { z } from 'zod';
import { AppError } from '@ocr/domain';
import { availableFormats } from '@ocr/export';

export const EXPORT_LANGS = ['original', 'translated'] as const;

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

/**
 * The query of GET /api/v1/ocr/<uuid>/download/. The controller parses with it and the OpenAPI
 * document is generated from it, so the two agree. Built on demand: formats register themselves.
 */
export function downloadQuerySchema() {
  const formats = availableFormats();
  return z.object({
    format: z.preprocess(
      lower,
      z.enum(formats as [string, ...string[]], {
        error: (issue) =>
          issue.input === undefined || issue.input === ''
            ? 'format is required, e.g. ?format=txt'
            : `unknown format '${String(issue.input)}'; available: ${formats.join(', ')}`,
      }),
    ),
    lang: z
      .enum(EXPORT_LANGS, { error: "lang must be 'original' or 'translated'" })
      .optional()
      .meta({ description: "'translated': the translation of a tool=translate job (400 on any other job)" }),
    table: z.coerce
      .number({ error: 'table must be a whole number from 1' })
      .int('table must be a whole number from 1')
      .min(1, 'table must be a whole number from 1')
      .optional()
      .meta({ description: 'csv only: the 1-based table to return alone' }),
  });
}

export type DownloadQuery = z.infer<ReturnType<typeof downloadQuerySchema>>;

/** A 400 naming the first bad parameter; the exporter still checks `table` against the document. */
export function parseDownloadQuery(query: unknown): DownloadQuery {
  const parsed = downloadQuerySchema().safeParse(query ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? 'format');
  throw new AppError('invalid_field', issue?.message ?? `invalid ${field}`, field === 'format' ? { field, available: availableFormats() } : { field });
}
