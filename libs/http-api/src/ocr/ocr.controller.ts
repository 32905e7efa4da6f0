import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError } from '@ocr/domain';
import { ownerOf } from '@ocr/auth';
import { exporterFor } from '@ocr/export';
import { inspectDocument, sniffType } from '@ocr/intake';
import { intakeLimits } from '@ocr/page-worker';
import { viewInLanguage } from '@ocr/jobs';
import { resolveCaller } from '../auth/caller';
import { PLATFORM, type Platform } from '../platform';
import { validateSubmitFields } from './submit-fields';
import { createUploadReader } from './upload';

const SUPPORTED = 'PNG, JPEG, WEBP, GIF, BMP, TIFF, PDF';

function contentDispositionName(original: string | null, uuid: string, extension: string, suffix = ''): string {
  const stem = (original ?? uuid).replace(/\.[^.]*$/, '').replace(/[^\w.-]+/g, '_').slice(0, 100) || uuid;
  return `${stem}${suffix.replace(/[^\w.-]+/g, '_')}.${extension}`;
}

@Controller('api/v1/ocr')
export class OcrController {
  private readonly readUpload: ReturnType<typeof createUploadReader>;

  constructor(@Inject(PLATFORM) private readonly platform: Platform) {
    this.readUpload = createUploadReader(platform.settings);
  }

  @Post()
  async submit(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { settings, jobs } = this.platform;
    // Authenticate before reading the body: a wrong token costs us no upload.
    const caller = await resolveCaller(req, this.platform);
    const upload = await this.readUpload(req, res);
    let handedOver = false;
    try {
      const { options, warnings } = validateSubmitFields(upload.fields, {
        languages: this.platform.languages,
        modelServerConfigured: this.platform.ai.visionConfigured,
        translationConfigured: this.platform.ai.translationConfigured,
        vlmFallbackToCpu: settings.VLM_FALLBACK_TO_CPU,
      });
      const kind = sniffType(upload.head);
      if (!kind) throw new AppError('unsupported_type', `unsupported file type; send one of ${SUPPORTED}`);
      const info = await inspectDocument(upload.path, intakeLimits(settings));
      const job = await jobs.create({
        owner: ownerOf(caller),
        options,
        kind: info.kind,
        pageCount: info.pageCount,
        uploadPath: upload.path,
        originalFilename: upload.originalName || null,
        warnings,
      });
      handedOver = true;
      if (job.page_count <= settings.INLINE_PAGE_LIMIT) {
        await jobs.waitUntilFinished(job.uuid, settings.INLINE_WAIT_SECONDS * 1000);
      }
      const current = await jobs.getOwned(job.uuid, job.owner);
      const view = await jobs.view(current);
      res.status(view.status === 'done' || view.status === 'failed' ? 200 : 202).json(view);
    } finally {
      if (!handedOver) await upload.discard();
    }
  }

  @Get(':uuid')
  async get(@Param('uuid') uuid: string, @Req() req: Request): Promise<unknown> {
    const caller = await resolveCaller(req, this.platform);
    const job = await this.platform.jobs.getOwned(uuid, ownerOf(caller));
    return this.platform.jobs.view(job);
  }

  @Get(':uuid/download')
  async download(
    @Param('uuid') uuid: string,
    @Query('format') format: unknown,
    @Query('lang') lang: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const caller = await resolveCaller(req, this.platform);
    const job = await this.platform.jobs.getOwned(uuid, ownerOf(caller));
    if (typeof format !== 'string' || format === '') {
      throw new AppError('invalid_field', 'format is required, e.g. ?format=txt', { field: 'format' });
    }
    const exporter = exporterFor(format);
    if (job.status !== 'done') {
      const why = job.status === 'failed' ? `job failed: ${job.error ?? 'unknown reason'}` : `job is ${job.status}`;
      throw new AppError('not_ready', `${why}; downloads are available once the job is done`, { status: job.status });
    }
    // The translation is substituted before any exporter runs, so every format comes in it.
    const view = viewInLanguage(await this.platform.jobs.view(job), lang);
    const body = await exporter.render(view);
    const suffix = lang === 'translated' ? `.${job.options.translate_to ?? 'translated'}` : '';
    const name = contentDispositionName(job.original_filename, job.uuid, exporter.extension, suffix);
    res
      .status(200)
      .type(exporter.contentType)
      .setHeader('Content-Disposition', `attachment; filename="${name}"`)
      .send(body);
  }

  @Delete(':uuid')
  @HttpCode(204)
  async remove(@Param('uuid') uuid: string, @Req() req: Request): Promise<void> {
    const caller = await resolveCaller(req, this.platform);
    const job = await this.platform.jobs.getOwned(uuid, ownerOf(caller));
    await this.platform.jobs.delete(job);
  }
}
