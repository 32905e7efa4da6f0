import pino, { type Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { contextLogFields } from '@ocr/app';

export function createLogger(settings: Settings, service: string): Logger {
  return pino({ level: settings.LOG_LEVEL, base: { service }, mixin: contextLogFields });
}
