import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request id and job uuid of the work in hand, so every log line names them and every call to
 * another service carries them (gRPC metadata), without threading them through each signature.
 */
export interface RequestContext {
  requestId?: string;
  jobUuid?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, work);
}

export function currentContext(): RequestContext {
  return storage.getStore() ?? {};
}

/** Names the job the current request works on, from the moment it is known. */
export function setContextJob(jobUuid: string): void {
  const store = storage.getStore();
  if (store) store.jobUuid = jobUuid;
}

/** Fields for pino's `mixin`: present only when known. */
export function contextLogFields(): Record<string, string> {
  const c = storage.getStore();
  if (!c) return {};
  const out: Record<string, string> = {};
  if (c.requestId) out['request_id'] = c.requestId;
  if (c.jobUuid) out['job_uuid'] = c.jobUuid;
  return out;
}
