/** The API as the web app calls it: same origin, the session cookie speaks for a signed-in user. */

export type BBox = [number, number, number, number];
export interface Word { text: string; bbox: BBox; confidence: number }
export interface Line { text: string; bbox: BBox; confidence: number; words: Word[] }
export interface Block { text: string; bbox: BBox; confidence: number; kind: string; lines: Line[] }
export interface Page {
  index: number;
  status: string;
  text: string;
  markdown: string;
  blocks: Block[];
  width?: number;
  height?: number;
  error: string | null;
  translation?: { language: string; text: string; markdown: string };
}
export interface Job {
  uuid: string;
  status: 'pending' | 'processing' | 'done' | 'failed';
  tier: string;
  language: string;
  tool: string | null;
  translate_to: string | null;
  page_count: number;
  pages_done: number;
  pages_failed: number;
  mean_confidence: number;
  text: string;
  markdown: string;
  error: string | null;
  warnings: string[];
  created_at: string;
  pages: Page[];
  translation?: { language: string; text: string; markdown: string };
}
export interface JobSummary {
  uuid: string;
  status: Job['status'];
  filename: string | null;
  page_count: number;
  pages_done: number;
  pages_failed: number;
  created_at: string;
  expires_at: string | null;
  expires_in_seconds: number | null;
}
export interface Allowance { limit: string; cap: number | null; used: number; remaining: number | null; resets_at: string | null }
export interface Me { id: string | null; email: string | null; plan: string; allowance: Allowance | null; max_pages_per_file: number }
export interface Language { code: string; name: string; script: string }
export interface Tool { slug: string; description: string; needsTarget: boolean; available: boolean; requires: string | null }
export interface Citation { page: number; snippet: string; bbox: BBox | null }
export interface ChatMessage { role: 'user' | 'assistant'; content: string; citations?: Citation[]; mode?: string }

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin', ...init });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { message?: string };
      if (body.message) message = body.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(res.status, message);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export const api = {
  me: () => call<Me>('/api/v1/account/'),
  languages: () => call<{ languages: Language[] }>('/api/v1/languages/').then((r) => r.languages),
  tools: () => call<{ tools: Tool[] }>('/api/v1/tools/').then((r) => r.tools),
  job: (uuid: string) => call<Job>(`/api/v1/ocr/${uuid}/`),
  list: (cursor?: string) => call<{ jobs: JobSummary[]; next_cursor: string | null }>(`/api/v1/ocr/${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`),
  remove: (uuid: string) => call<void>(`/api/v1/ocr/${uuid}/`, { method: 'DELETE' }),
  submit: (form: FormData) => call<Job>('/api/v1/ocr/', { method: 'POST', body: form }),
  ask: (uuid: string, message: string) =>
    call<{ message: ChatMessage }>(`/api/v1/chat/${uuid}/`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message }) }),
  history: (uuid: string) => call<{ messages: ChatMessage[] }>(`/api/v1/chat/${uuid}/history/`),
};

export const pageImageUrl = (uuid: string, index: number) => `/api/v1/ocr/${uuid}/pages/${index}/image`;
export const downloadUrl = (uuid: string, format: string, translated = false) =>
  `/api/v1/ocr/${uuid}/download/?format=${format}${translated ? '&lang=translated' : ''}`;
export const eventsUrl = (uuid: string) => `/api/v1/ocr/${uuid}/events/`;
