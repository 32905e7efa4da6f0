import type { Settings } from '@ocr/config';
import type { Plans } from '@ocr/accounts';
import type { LanguageInfo } from '@ocr/ocr';
import { intakeLimits } from '@ocr/page-worker';
import { AddressPolicy } from '@ocr/jobs';
import type { CallerDeps } from './caller';
import { ChatFlow } from './chat-flow';
import { JobQueries } from './job-queries';
import type { AccountsApi, ChatApi, ExportApi, IdentityApi, IngestApi, MeteringApi, UploadStaging } from './services';
import { SubmitService } from './submit';

/** The services an edge talks to, in this process or over gRPC. */
export interface ServiceApis {
  identity: IdentityApi;
  accounts: AccountsApi;
  /** Null when METERING=false: nothing is reserved, charged or limited. */
  metering: MeteringApi | null;
  ingest: IngestApi;
  staging: UploadStaging;
  exports: ExportApi;
  chat: ChatApi;
}

export interface AiFlags {
  /** AI_BASE_URL + AI_VISION_MODEL: tier=vlm runs on the model. */
  visionConfigured: boolean;
  /** AI_BASE_URL + AI_TRANSLATE_MODEL (or AI_CHAT_MODEL): tool=translate is accepted. */
  translationConfigured: boolean;
}

export interface AppDeps extends ServiceApis {
  settings: Settings;
  languages: LanguageInfo[];
  plans: Plans;
  ai: AiFlags;
}

/** The use cases every edge calls; controllers only translate HTTP to and from them. */
export interface AppServices extends AppDeps {
  callers: CallerDeps;
  submit: SubmitService;
  jobs: JobQueries;
  chatFlow: ChatFlow;
}

export function createAppServices(deps: AppDeps): AppServices {
  const { settings } = deps;
  return {
    ...deps,
    callers: { identity: deps.identity, accounts: deps.accounts, plans: deps.plans, allowAnonymous: settings.ALLOW_ANONYMOUS },
    submit: new SubmitService({
      ingest: deps.ingest,
      staging: deps.staging,
      accounts: deps.accounts,
      callbackPolicy: AddressPolicy.parse(settings.WEBHOOK_ALLOWED_ADDRESSES),
      metering: deps.metering,
      policy: {
        languages: deps.languages,
        modelServerConfigured: deps.ai.visionConfigured,
        translationConfigured: deps.ai.translationConfigured,
        vlmFallbackToCpu: settings.VLM_FALLBACK_TO_CPU,
      },
      limits: intakeLimits(settings),
      unmeteredPlan: deps.plans.paid,
      inlinePageLimit: settings.INLINE_PAGE_LIMIT,
      inlineWaitMs: settings.INLINE_WAIT_SECONDS * 1000,
    }),
    jobs: new JobQueries(deps.ingest, deps.exports),
    chatFlow: new ChatFlow(deps.ingest, deps.chat, settings.CHAT_MAX_MESSAGE_CHARS),
  };
}
