import type { Settings } from '@ocr/config';

/** The services of the platform and what each composes (see docs/ARCHITECTURE.md). */
export const SERVICES = {
  gateway: 'public REST API, auth guard, request validation, OpenAPI (HTTP)',
  'auth-billing': 'accounts, tokens, plans, page ledger (gRPC)',
  ingest: 'uploads, type sniffing, page splitting, job state machine, retention',
  'cpu-ocr': 'Tesseract page workers (TaskBus consumer)',
  'vlm-ocr': 'model-server page workers (TaskBus consumer)',
  export: 'txt, md, json, pdf, docx, csv, hocr, alto exports (gRPC)',
  chat: 'retrieval, answers, citations (gRPC)',
} as const;

export type ServiceName = keyof typeof SERVICES;

/**
 * A single service outside the standalone process needs adapters that cross processes
 * (a shared job store, blob store and task bus). Until those are bound, it refuses to start
 * with a message that says what to run instead, rather than running with private state.
 */
export function assertClusterAdapters(service: ServiceName, settings: Settings): void {
  const local = [
    settings.JOB_STORE === 'embedded' ? 'JOB_STORE=embedded' : null,
    settings.BLOB_STORE === 'local' ? 'BLOB_STORE=local' : null,
    settings.TASK_BUS === 'inprocess' ? 'TASK_BUS=inprocess' : null,
  ].filter((x): x is string => x !== null);
  if (local.length > 0) {
    throw new Error(
      `the ${service} service (${SERVICES[service]}) runs in cluster mode and cannot share ${local.join(', ')} ` +
        'with other processes; run apps/standalone (make start) for one process, or make cluster for all services with JOB_STORE=mongodb BLOB_STORE=s3 TASK_BUS=kafka',
    );
  }
}
