import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

export interface Submit {
  file?: string | { name: string; bytes: Buffer };
  fields?: Record<string, string>;
  token?: string;
}

export async function submit(baseUrl: string, req: Submit): Promise<Response> {
  const form = new FormData();
  if (typeof req.file === 'string') form.append('file', new Blob([readFileSync(req.file)]), basename(req.file));
  else if (req.file) form.append('file', new Blob([req.file.bytes]), req.file.name);
  for (const [k, v] of Object.entries(req.fields ?? {})) form.append(k, v);
  const headers: Record<string, string> = req.token ? { Authorization: `Bearer ${req.token}` } : {};
  return fetch(`${baseUrl}/api/v1/ocr/`, { method: 'POST', body: form, headers });
}

export function auth(token?: string): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export async function pollUntilFinished(baseUrl: string, uuid: string, token?: string, timeoutMs = 600_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/v1/ocr/${uuid}/`, { headers: auth(token) });
    const job = (await res.json()) as Record<string, unknown>;
    if (job['status'] === 'done' || job['status'] === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`job ${uuid} still ${String(job['status'])}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
