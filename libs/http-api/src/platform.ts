import type { Settings } from '@ocr/config';
import type { TokenService } from '@ocr/auth';
import type { AccountService, MeteringService, Plans } from '@ocr/accounts';
import type { ExportService } from '@ocr/export';
import type { LanguageInfo } from '@ocr/ocr';
import type { PageImages } from '@ocr/page-worker';
import type { ChatService } from '@ocr/ai';
import type { Logger } from 'pino';
import type { PlatformMetrics } from './metrics/platform-metrics';
import type { AddressPolicy, JobService } from '@ocr/jobs';

/** Everything the HTTP layer needs, composed by the app that hosts it (standalone or gateway). */
export interface Platform {
  settings: Settings;
  jobs: JobService;
  tokens: TokenService;
  exports: ExportService;
  /** The processed page images under the web app's boxes. */
  pageImages: PageImages;
  languages: LanguageInfo[];
  /** The engine the cpu tier runs on, for /healthz and the job timing fields. */
  engineName: () => string | null;
  log: Logger;
  accounts: AccountService;
  /** Null when METERING=false: nothing is reserved, charged or limited. */
  metering: MeteringService | null;
  plans: Plans;
  /** The AI tier: which model roles are configured, and chat over finished jobs. */
  ai: AiPlatform;
  /** Prometheus metrics served at /metrics. */
  metrics: PlatformMetrics;
  /** Which addresses a callback_url may reach (WEBHOOK_ALLOWED_ADDRESSES). */
  callbackPolicy: AddressPolicy;
}

export interface AiPlatform {
  /** AI_BASE_URL + AI_VISION_MODEL: tier=vlm runs on the model. */
  visionConfigured: boolean;
  /** AI_BASE_URL + AI_TRANSLATE_MODEL (or AI_CHAT_MODEL): tool=translate is accepted. */
  translationConfigured: boolean;
  chat: ChatService;
}

export const PLATFORM = Symbol('PLATFORM');
