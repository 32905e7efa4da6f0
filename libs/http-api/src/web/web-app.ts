import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Settings } from '@ocr/config';

/** The built web app (vite's output): WEB_DIR, or apps/web/dist of the checkout this file is in. */
export function webAppDir(settings: Settings): string {
  return settings.WEB_DIR ? resolve(settings.WEB_DIR) : resolve(__dirname, '../../../../apps/web/dist');
}

/** Screens of the single-page app: each answers with its index.html, the app routes on the client. */
export const WEB_APP_ROUTES = ['/', '/documents', '/documents/:uuid'] as const;

/**
 * Serves the web app's files: hashed bundles under /assets/ for a year (their names change with
 * their content), the stylesheet and scripts the server-rendered account pages share under /static/.
 */
export function serveWebAppFiles(app: INestApplication, settings: Settings): void {
  const dir = webAppDir(settings);
  const express = app as NestExpressApplication;
  express.useStaticAssets(join(dir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false, fallthrough: true });
  express.useStaticAssets(join(dir, 'static'), { prefix: '/static/', maxAge: '1h', index: false, fallthrough: true });
}

export function webAppIndex(settings: Settings): string | null {
  const file = join(webAppDir(settings), 'index.html');
  return existsSync(file) ? file : null;
}
