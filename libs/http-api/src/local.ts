import { AppError } from '@ocr/domain';
import type { LocalPlatform, Platform } from './platform';

/**
 * The in-process libraries behind a feature that only the standalone shape offers so far; in the
 * cluster gateway such a feature is a clear 501 naming it, never a 500.
 */
export function localOf(platform: Platform, feature: string): LocalPlatform {
  if (!platform.local) {
    throw new AppError('not_implemented', `${feature} is not available in the cluster shape yet; it is in the standalone shape`, { feature });
  }
  return platform.local;
}
