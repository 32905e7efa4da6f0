import { Metadata } from '@grpc/grpc-js';
import { currentContext, type RequestContext } from '@ocr/app';

const REQUEST_ID = 'x-request-id';
const JOB_UUID = 'x-job-uuid';

/** The request id and job uuid of the current work, for an outgoing call. */
export function outgoingMetadata(extra: RequestContext = {}): Metadata {
  const c = { ...currentContext(), ...extra };
  const m = new Metadata();
  if (c.requestId) m.set(REQUEST_ID, c.requestId);
  if (c.jobUuid) m.set(JOB_UUID, c.jobUuid);
  return m;
}

/** The context an incoming call carries, so the service's logs name the same request and job. */
export function incomingContext(metadata: Metadata): RequestContext {
  const one = (key: string): string | undefined => {
    const v = metadata.get(key)[0];
    return typeof v === 'string' && v.length <= 100 ? v : undefined;
  };
  const out: RequestContext = {};
  const requestId = one(REQUEST_ID);
  const jobUuid = one(JOB_UUID);
  if (requestId) out.requestId = requestId;
  if (jobUuid) out.jobUuid = jobUuid;
  return out;
}
