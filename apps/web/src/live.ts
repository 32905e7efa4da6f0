import { eventsUrl } from './api';

export interface Progress { pages_done: number; pages_failed: number; page_count: number }

/**
 * Follows a job's event stream: `page` as each page finishes, then `done` or `failed`. Returns the
 * function that stops following it.
 */
export function followJob(uuid: string, onPage: (p: Progress) => void, onEnd: (status: 'done' | 'failed') => void): () => void {
  const source = new EventSource(eventsUrl(uuid));
  source.addEventListener('page', (e) => onPage(JSON.parse((e as MessageEvent<string>).data) as Progress));
  for (const status of ['done', 'failed'] as const) {
    source.addEventListener(status, () => {
      source.close();
      onEnd(status);
    });
  }
  return () => source.close();
}
