import { z } from 'zod';
import type { Settings } from '@ocr/config';

/** `GET /api/v1/ocr/` query: the controller parses with it and the OpenAPI document is made from it. */
export function jobListQuerySchema(settings: Settings) {
  return z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(settings.JOB_LIST_MAX)
      .default(settings.JOB_LIST_LIMIT)
      .meta({ description: 'JOB_LIST_LIMIT by default, at most JOB_LIST_MAX' }),
    cursor: z.string().min(1).max(400).optional().meta({ description: 'next_cursor of the previous page' }),
  });
}
