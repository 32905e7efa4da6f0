import type { Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, type JobRecord } from '@ocr/domain';
import type { IngestApi } from '@ocr/app';
import { jobEvents, type JobEventSource } from '@ocr/jobs';

/**
 * Writes a job's events as Server-Sent Events until the job ends or the client goes: `page` as each
 * page finishes, then `done` or `failed`, then the response ends. Comment lines keep it alive.
 */
export async function streamJobEvents(
  res: Response,
  jobs: JobEventSource,
  uuid: string,
  opts: { pollMs: number; heartbeatMs: number },
): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  // Proxies that buffer (nginx) would hold the events back until the end.
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  const gone = new AbortController();
  // The response closes when the client goes away (or when we end it): either way, stop reading.
  res.on('close', () => gone.abort());
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), opts.heartbeatMs);
  // Browsers reconnect after this long if the stream breaks; a reconnect replays the finished pages.
  res.write('retry: 3000\n\n');
  try {
    let id = 0;
    for await (const event of jobEvents(jobs, uuid, { pollMs: opts.pollMs, signal: gone.signal })) {
      res.write(`id: ${++id}\nevent: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
    }
  } finally {
    clearInterval(heartbeat);
    res.end();
  }
}

/**
 * A job's events as seen through ingest (the cluster gateway): the job and its page states are
 * re-read every `pollMs`, since the workers that finish pages are other processes.
 */
export function ingestEventSource(ingest: IngestApi, owner: string): JobEventSource {
  let last: JobRecord | null = null;
  return {
    current: async (uuid) => {
      last = await ingest.getOwned(uuid, owner).catch((err: unknown) => {
        if (err instanceof AppError && err.code === 'not_found') return null;
        throw err;
      });
      return last;
    },
    pages: async () => (last ? (await ingest.viewOwned(last.uuid, last.owner)).pages : []),
    waitForChange: async (_uuid, ms, signal) => {
      await sleep(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
    },
  };
}
