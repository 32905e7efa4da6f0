import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { ownerOf } from '@ocr/auth';
import { meteredCaller } from '@ocr/app';
import type { JobView } from '@ocr/jobs';
import { callerOf } from '../auth/caller';
import { idempotencyKey, setAllowanceHeaders } from '../account/metering-http';
import { PLATFORM, type Platform } from '../platform';
import { createUploadReader } from './upload';

/** Single-valued query parameters; repeated ones are ignored rather than guessed at. */
function stringQuery(query: Request['query']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** The job API over HTTP: each handler translates the request, calls one use case, writes the answer. */
@Controller('api/v1/ocr')
export class OcrController {
  private readonly readUpload: ReturnType<typeof createUploadReader>;

  constructor(@Inject(PLATFORM) private readonly platform: Platform) {
    this.readUpload = createUploadReader(platform.app.settings);
  }

  @Post()
  async submit(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { app } = this.platform;
    // Authenticate before reading the body: a wrong token costs us no upload.
    const caller = await meteredCaller(app.callers, await callerOf(req, this.platform));
    const key = idempotencyKey(req);
    const upload = await this.readUpload(req, res);
    try {
      const result = await app.submit.submit({
        caller,
        file: { path: upload.path, originalName: upload.originalName, fields: upload.fields, head: upload.head },
        idempotencyKey: key,
        onAllowance: (a) => setAllowanceHeaders(res, a),
      });
      if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(result.finished ? 200 : 202).json(result.view);
    } finally {
      // Staged uploads were moved or copied away; whatever is left here is ours to remove.
      await upload.discard();
    }
  }

  @Get(':uuid')
  async get(@Param('uuid') uuid: string, @Req() req: Request): Promise<JobView> {
    return this.platform.app.jobs.get(ownerOf(await callerOf(req, this.platform)), uuid);
  }

  @Get(':uuid/download')
  async download(
    @Param('uuid') uuid: string,
    @Query('format') format: unknown,
    @Query('lang') lang: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const owner = ownerOf(await callerOf(req, this.platform));
    const file = await this.platform.app.jobs.download(owner, uuid, format, lang, stringQuery(req.query));
    res.status(200).type(file.contentType).setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    await pipeline(file.body, res);
  }

  @Delete(':uuid')
  @HttpCode(204)
  async remove(@Param('uuid') uuid: string, @Req() req: Request): Promise<void> {
    await this.platform.app.jobs.delete(ownerOf(await callerOf(req, this.platform)), uuid);
  }
}
