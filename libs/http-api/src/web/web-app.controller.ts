import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { PLATFORM, type Platform } from '../platform';
import { WEB_APP_ROUTES, webAppIndex } from './web-app';

/** The document web app's screens; the page itself decides what to show from the path. */
@Controller()
export class WebAppController {
  constructor(@Inject(PLATFORM) private readonly platform: Platform) {}

  @Get([...WEB_APP_ROUTES])
  index(@Res() res: Response): void {
    const file = webAppIndex(this.platform.settings);
    if (!file) {
      res.status(503).type('text/plain').send('The web app is not built: run `make build` (vite build of apps/web), or set WEB_DIR.\n');
      return;
    }
    // The page names its hashed bundles, so it must be fetched fresh after an upgrade.
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(file);
  }
}
