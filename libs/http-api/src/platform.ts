import type { Settings } from '@ocr/config';
import type { TokenService } from '@ocr/auth';
import type { AccountService, MeteringService, Plans } from '@ocr/accounts';
import type { ExportService } from '@ocr/export';
import type { LanguageInfo } from '@ocr/ocr';
import type { PageImages } from '@ocr/page-worker';
import type { ChatService } from '@ocr/ai';
import type { AppServices } from '@ocr/app';
import type { Logger } from 'pino';
import type { PlatformMetrics } from './metrics/platform-metrics';
import type { AddressPolicy, JobService } from '@ocr/jobs';

/** Everything the HTTP layer needs, composed by the app that hosts it (standalone or gateway). */
export interface Platform {
  settings: Settings;
  /** The use cases and the services behind them (in this process, or over gRPC in the gateway). */
  app: AppServices;
  languages: LanguageInfo[];
  /** The engine the cpu tier runs on, for /healthz and the job timing fields; null in the gateway. */
  engineName: () => string | null;
  log: Logger;
  plans: Plans;
  /** Which model roles are configured. */
  ai: AiPlatform;
  /** Prometheus metrics served at /metrics. */
  metrics: PlatformMetrics;
  /** Whether each dependency answers now (for /readyz); absent: ready once serving. */
  readiness?: () => Promise<Record<string, boolean>>;
  /**
   * The libraries themselves, where they run in this process (standalone), for the paths that are
   * better served without a service boundary: finished jobs streamed page by page, downloads,
   * job events woken in-process. Null in the cluster gateway, which takes those through `app`.
   */
  local: LocalPlatform | null;
}

/** What only a process that holds the stores and the libraries can offer. */
export interface LocalPlatform {
  jobs: JobService;
  tokens: TokenService;
  exports: ExportService;
  /** The processed page images under the web app's boxes. */
  pageImages: PageImages;
  accounts: AccountService;
  /** Null when METERING=false: nothing is reserved, charged or limited. */
  metering: MeteringService | null;
  /** Chat over finished jobs. */
  chat: ChatService;
  /** Which addresses a callback_url may reach (WEBHOOK_ALLOWED_ADDRESSES). */
  callbackPolicy: AddressPolicy;
}

export interface AiPlatform {
  /** AI_BASE_URL + AI_VISION_MODEL: tier=vlm runs on the model. */
  visionConfigured: boolean;
  /** AI_BASE_URL + AI_TRANSLATE_MODEL (or AI_CHAT_MODEL): tool=translate is accepted. */
  translationConfigured: boolean;
}

export const PLATFORM = Symbol('PLATFORM');
