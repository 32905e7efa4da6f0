import type { Settings } from '@ocr/config';
import type { TokenService } from '@ocr/auth';
import type { AccountService, MeteringService, Plans } from '@ocr/accounts';
import type { JobService } from '@ocr/jobs';
import type { LanguageInfo } from '@ocr/ocr';
import type { Logger } from 'pino';

/** Everything the HTTP layer needs, composed by the app that hosts it (standalone or gateway). */
export interface Platform {
  settings: Settings;
  jobs: JobService;
  tokens: TokenService;
  languages: LanguageInfo[];
  /** The engine the cpu tier runs on, for /healthz and the job timing fields. */
  engineName: () => string | null;
  log: Logger;
  accounts: AccountService;
  /** Null when METERING=false: nothing is reserved, charged or limited. */
  metering: MeteringService | null;
  plans: Plans;
}

export const PLATFORM = Symbol('PLATFORM');
