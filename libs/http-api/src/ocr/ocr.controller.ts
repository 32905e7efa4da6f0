import { randomUUID } from 'node:crypto';
import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { AppError, type JobRecord } from '@ocr/domain';
import { ownerOf } from '@ocr/auth';
import { exporterFor } from '@ocr/export';
import { inspectDocument, sniffType } from '@ocr/intake';
import { intakeLimits } from '@ocr/page-worker';
import { viewInLanguage } from '@ocr/jobs';
import { resolveCaller } from '../auth/caller';
import { idempotencyKey, meteredCaller, setAllowanceHeaders, type MeteredCaller } from '../account/metering-http';
import { PLATFORM, type Platform } from '../platform';
import { validateSubmitFields } from './submit-fields';
import { createUploadReader } from './upload';

const SUPPORTED = 'PNG, JPEG, WEBP, GIF, BMP, TIFF, PDF';

/** Single-valued query parameters; repeated ones are ignored rather than guessed at. */
function stringQuery(query: Request['query']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (typeof v === 'string') out[k] = v;
  return out;
}

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
    const metered = await meteredCaller(this.platform, caller);
    const key = idempotencyKey(req);
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
      // Pages are held before any work; a refusal (402) leaves nothing behind.
      const uuid = randomUUID();
      const meter = this.platform.metering;
      if (meter) {
        const reservation = await meter
          .reserve({ owner: metered.owner, plan: metered.plan, tier: options.tier, pages: info.pageCount, jobUuid: uuid, idempotencyKey: key })
          .finally(() => setAllowanceHeaders(res, meter.allowanceNow(metered.owner, metered.plan)));
        if (reservation.kind === 'existing') {
          // A retry: answer with the job the first request made, charged once.
          res.setHeader('Idempotent-Replayed', 'true');
          await this.respondWithJob(res, await this.waitForJob(reservation.jobUuid, metered.owner), metered);
          return;
        }
      }
      let job: JobRecord;
      try {
        job = await jobs.create({
          uuid,
          owner: metered.owner,
          options,
          kind: info.kind,
          pageCount: info.pageCount,
          uploadPath: upload.path,
          originalFilename: upload.originalName || null,
          warnings,
          planPriority: metered.plan.priority,
        });
      } catch (err) {
        await meter?.settle({ uuid, pages_done: 0 });
        throw err;
      }
      handedOver = true;
      await this.respondWithJob(res, job, metered);
    } finally {
      if (!handedOver) await upload.discard();
    }
  }

  /** Inline-sized jobs are answered finished; the allowance headers are read after the charge. */
  private async respondWithJob(res: Response, job: JobRecord, metered: MeteredCaller): Promise<void> {
    const { jobs, settings } = this.platform;
    let current = job;
    if (current.page_count <= settings.INLINE_PAGE_LIMIT && current.status !== 'done' && current.status !== 'failed') {
      await jobs.waitUntilFinished(current.uuid, settings.INLINE_WAIT_SECONDS * 1000);
      current = await jobs.getOwned(current.uuid, current.owner);
    }
    const view = await jobs.view(current);
    const meter = this.platform.metering;
    if (meter) setAllowanceHeaders(res, meter.allowanceNow(metered.owner, metered.plan));
    res.status(view.status === 'done' || view.status === 'failed' ? 200 : 202).json(view);
  }

  /**
   * The job a first request with the same Idempotency-Key made. That request may still be writing
   * it (its pages are held meanwhile); a job that is gone with its hold settled was deleted: 404.
   */
  private async waitForJob(uuid: string, owner: string): Promise<JobRecord> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        return await this.platform.jobs.getOwned(uuid, owner);
      } catch (err) {
        if (Date.now() > deadline || !this.platform.metering?.isHeld(uuid)) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  @Get(':uuid')
  async get(@Param('uuid') uuid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const caller = await resolveCaller(req, this.platform);
    const job = await this.platform.jobs.getOwned(uuid, ownerOf(caller));
    if (job.status !== 'done' && job.status !== 'failed') {
      res.json(await this.platform.jobs.view(job));
      return;
    }
    // A finished job is written page by page: a long document is never held whole to answer.
    res.status(200).type('application/json');
    await pipeline(Readable.from(this.platform.jobs.viewJson(job)), res);
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
    const view = async () => viewInLanguage(await this.platform.jobs.view(job), lang);
    const body = await this.platform.exports.open(job, view, exporter, stringQuery(req.query));
    const suffix = lang === 'translated' ? `.${job.options.translate_to ?? 'translated'}` : '';
    const name = contentDispositionName(job.original_filename, job.uuid, exporter.extension, suffix);
    res.status(200).type(exporter.contentType).setHeader('Content-Disposition', `attachment; filename="${name}"`);
    await pipeline(body, res);
  }

  @Delete(':uuid')
  @HttpCode(204)
  async remove(@Param('uuid') uuid: string, @Req() req: Request): Promise<void> {
    const caller = await resolveCaller(req, this.platform);
    const job = await this.platform.jobs.getOwned(uuid, ownerOf(caller));
    await this.platform.jobs.delete(job);
  }
}
