import { createRequire } from 'node:module';

/** The part of kafkajs' per-connection RequestQueue (src/network/requestQueue) this fix touches. */
interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** kafkajs' own retry interval for a queue with pending requests and no throttle in force. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

let applied = false;

/**
 * kafkajs 2.2.4 (its last release) re-arms a timer on every broker connection after each answer,
 * even with nothing pending: `setTimeout(check, throttledUntil - now)` with `throttledUntil = -1`
 * is a 1 ms timer that re-arms itself forever. Measured here: about 1000 wake-ups a second and
 * 1-1.5 % of a core in every idle process holding a Kafka connection (ingest, export, chat, each
 * worker), doing nothing. The check is only needed while requests wait (throttled, or too many in
 * flight), which is what this replacement schedules for; an answer to an in-flight request checks
 * the queue anyway. Applied once per process, before any client is created.
 */
export function fixKafkajsIdleTimer(): void {
  if (applied) return;
  applied = true;
  let RequestQueue: { prototype: RequestQueueInternals };
  try {
    RequestQueue = createRequire(__filename)('kafkajs/src/network/requestQueue/index.js') as { prototype: RequestQueueInternals };
  } catch {
    // Another kafkajs layout: its timer is its own business; the fix is only an economy.
    return;
  }
  if (typeof RequestQueue.prototype?.scheduleCheckPendingRequests !== 'function') return;
  RequestQueue.prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const throttledFor = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_INTERVAL_MS,
    );
  };
}
