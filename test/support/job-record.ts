import type { JobRecord } from '@ocr/domain';

/** A job record as a store holds it: pending, two PNG pages, owned by acct:a; `patch` overrides. */
export function jobRecord(uuid: string, patch: Partial<JobRecord> = {}): JobRecord {
  return {
    uuid,
    owner: 'acct:a',
    status: 'pending',
    options: { tier: 'cpu', language: 'auto', tool: null, translate_to: null },
    input_kind: 'png',
    upload_key: `uploads/${uuid}`,
    original_filename: 'a.png',
    page_count: 2,
    pages_done: 0,
    pages_failed: 0,
    error: null,
    warnings: [],
    created_at: new Date().toISOString(),
    started_at: null,
    finished_at: null,
    ...patch,
  };
}
