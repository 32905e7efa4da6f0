import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { AppError } from '@ocr/domain';
import { ownerOf } from '@ocr/auth';
import { exporterFor } from '@ocr/export';
import { viewInLanguage } from '@ocr/jobs';
import { ingestEventSource, streamJobEvents } from './job-events-stream';
import { resolveCaller } from '../auth/caller';
import { idempotencyKey, meteredCaller, setAllowanceHeaders } from '../account/metering-http';
import { PLATFORM, type Platform } from '../platform';
import { createUploadReader } from './upload';
import { DOWNLOAD_SECURITY_POLICY } from '../security/headers';
import { parseDownloadQuery } from './download-query';
import { jobListQuerySchema } from './job-list-query';

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

  /**
   * POST /api/v1/ocr: the submit use case (validate, sniff, count with the plan's file budget,
   * reserve, stage, create, wait for inline-sized jobs), the same in both shapes.
   */
  @Post()
  async submit(@Req() req: Request, @Res() res: Response): Promise<void> {
    // Authenticate before reading the body: a wrong token costs us no upload.
    const caller = await resolveCaller(req, this.platform);
    const metered = await meteredCaller(this.platform, caller);
    const key = idempotencyKey(req);
    const upload = await this.readUpload(req, res);
    try {
      const result = await this.platform.app.submit.submit({
        caller: metered,
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

  /** The caller's jobs, newest first, a page at a time (`?limit=`, `?cursor=` from the last page). */
  @Get()
  async list(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<unknown> {
    const caller = await resolveCaller(req, this.platform);
    const { settings } = this.platform;
    const parsed = jobListQuerySchema(settings)
      .safeParse(stringQuery(req.query));
    if (!parsed.success) {
      const field = String(parsed.error.issues[0]?.path[0] ?? 'limit');
      const message = field === 'cursor' ? 'cursor is not one this service gave out' : `limit is a whole number from 1 to ${settings.JOB_LIST_MAX} (JOB_LIST_MAX)`;
      throw new AppError('invalid_field', message, { field });
    }
    res.setHeader('Cache-Control', 'no-store');
    const { cursor, limit } = parsed.data;
    return this.platform.app.ingest.list({ owner: ownerOf(caller), limit, retentionHours: settings.RETENTION_HOURS, ...(cursor ? { cursor } : {}) });
  }

  /** Server-Sent Events: `page` as each page finishes, then `done` or `failed`; then the stream ends. */
  @Get(':uuid/events')
  async events(@Param('uuid') uuid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const caller = await resolveCaller(req, this.platform);
    const { settings, local } = this.platform;
    const owner = ownerOf(caller);
    const job = await this.platform.app.ingest.getOwned(uuid, owner);
    const source = local ? local.jobs : ingestEventSource(this.platform.app.ingest, owner);
    await streamJobEvents(res, source, job.uuid, {
      pollMs: settings.EVENTS_POLL_MS,
      heartbeatMs: settings.EVENTS_HEARTBEAT_SECONDS * 1000,
    });
  }

  /** The processed page `index` (0-based, as `pages[].index`) as WEBP, in the pixel frame of its boxes. */
  @Get(':uuid/pages/:index/image')
  async pageImage(@Param('uuid') uuid: string, @Param('index') index: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const caller = await resolveCaller(req, this.platform);
    const { app } = this.platform;
    const job = await app.ingest.getOwned(uuid, ownerOf(caller));
    if (!/^\d{1,6}$/.test(index)) throw new AppError('invalid_field', 'the page is its 0-based index, as pages[].index', { field: 'index' });
    const image = await app.exports.pageImage(job, Number(index));
    res.setHeader('Cache-Control', `private, max-age=${this.platform.settings.PAGE_IMAGE_MAX_AGE_SECONDS}`);
    res.setHeader('ETag', image.etag);
    // The owner's session decides what this URL shows: caches must not hand it to another cookie.
    res.setHeader('Vary', 'Cookie, Authorization');
    if (req.headers['if-none-match'] === image.etag) {
      res.status(304).end();
      return;
    }
    res.status(200).type(image.contentType).send(image.body);
  }

  @Get(':uuid')
  async get(@Param('uuid') uuid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const caller = await resolveCaller(req, this.platform);
    const { local } = this.platform;
    if (!local) {
      // The gateway: the job view through ingest, whole (not yet streamed page by page over gRPC).
      res.json(await this.platform.app.jobs.get(ownerOf(caller), uuid));
      return;
    }
    const job = await local.jobs.getOwned(uuid, ownerOf(caller));
    if (job.status !== 'done' && job.status !== 'failed') {
      res.json(await local.jobs.view(job));
      return;
    }
    // A finished job is written page by page: a long document is never held whole to answer.
    res.status(200).type('application/json');
    await pipeline(Readable.from(local.jobs.viewJson(job)), res);
  }

  @Get(':uuid/download')
  async download(@Param('uuid') uuid: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const caller = await resolveCaller(req, this.platform);
    const { local } = this.platform;
    if (!local) {
      // The gateway: the export service renders it; the same checks run in the download use case.
      const file = await this.platform.app.jobs.download(ownerOf(caller), uuid, req.query['format'], req.query['lang'], stringQuery(req.query));
      res
        .status(200)
        .type(file.contentType)
        .setHeader('Content-Disposition', `attachment; filename="${file.filename}"`)
        .setHeader('Content-Security-Policy', DOWNLOAD_SECURITY_POLICY);
      await pipeline(file.body, res);
      return;
    }
    const job = await local.jobs.getOwned(uuid, ownerOf(caller));
    const { format, lang } = parseDownloadQuery(req.query);
    const exporter = exporterFor(format);
    if (job.status !== 'done') {
      const why = job.status === 'failed' ? `job failed: ${job.error ?? 'unknown reason'}` : `job is ${job.status}`;
      throw new AppError('not_ready', `${why}; downloads are available once the job is done`, { status: job.status });
    }
    // The translation is substituted before any exporter runs, so every format comes in it.
    const view = async () => viewInLanguage(await local.jobs.view(job), lang);
    const body = await local.exports.open(job, view, exporter, stringQuery(req.query));
    const suffix = lang === 'translated' ? `.${job.options.translate_to ?? 'translated'}` : '';
    const name = contentDispositionName(job.original_filename, job.uuid, exporter.extension, suffix);
    // An attachment in a sandbox: an hOCR (XHTML) file opened from here cannot run as our page.
    res
      .status(200)
      .type(exporter.contentType)
      .setHeader('Content-Disposition', `attachment; filename="${name}"`)
      .setHeader('Content-Security-Policy', DOWNLOAD_SECURITY_POLICY);
    await pipeline(body, res);
  }

  @Delete(':uuid')
  @HttpCode(204)
  async remove(@Param('uuid') uuid: string, @Req() req: Request): Promise<void> {
    const caller = await resolveCaller(req, this.platform);
    await this.platform.app.jobs.delete(ownerOf(caller), uuid);
  }
}
