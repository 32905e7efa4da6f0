import pino, { type Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { contextLogFields } from '@ocr/app';

/** Credentials never reach the log, whichever object happens to carry them. */
const REDACT = ['authorization', 'cookie', 'api_token', '*.authorization', '*.cookie', '*.api_token', '*.headers.authorization', '*.headers.cookie'];

export function createLogger(settings: Settings, service: string): Logger {
  return pino({ level: settings.LOG_LEVEL, base: { service }, mixin: contextLogFields, redact: { paths: REDACT, censor: '***' } });
}
