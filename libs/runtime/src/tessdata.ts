import { existsSync } from 'node:fs';
import type { Settings } from '@ocr/config';

const DEBIAN_TESSDATA = ['/usr/share/tesseract-ocr/5/tessdata', '/usr/share/tesseract-ocr/4.00/tessdata'];

/** The tessdata directory in use: TESSDATA_DIR if set, else Debian's, else none (wasm's packaged data). */
export function tessdataDir(settings: Settings): string | null {
  if (settings.TESSDATA_DIR) return settings.TESSDATA_DIR;
  return DEBIAN_TESSDATA.find((d) => existsSync(d)) ?? null;
}
