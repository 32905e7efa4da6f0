import type { Logger } from 'pino';
import type { AppServices } from '@ocr/app';

/** Everything the HTTP layer needs, composed by the app that hosts it (standalone or gateway). */
export interface Platform {
  /** The use cases and the services behind them (in this process or over gRPC). */
  app: AppServices;
  /** The engine the cpu tier runs on, for /healthz; null where no engine runs (the gateway). */
  engineName: () => string | null;
  log: Logger;
  /** Whether each dependency answers now (for /readyz); absent: ready once serving. */
  readiness?: () => Promise<Record<string, boolean>>;
}

export const PLATFORM = Symbol('PLATFORM');
