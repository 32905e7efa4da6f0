import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppError, type BlobStore, type JobRecord, type PageContent } from '@ocr/domain';
import { prepareImage, rasterisePage, type IntakeLimits } from '@ocr/intake';
import { pageImageKey, type JobService } from '@ocr/jobs';

export interface PageImage {
  body: Buffer;
  contentType: string;
  /** Changes only if the page is read again; the job's pages never are, so it is stable. */
  etag: string;
}

/** WEBP at this quality keeps small print legible at a fraction of a PNG's size. */
const WEBP_QUALITY = 70;

/**
 * The processed page (the pixel frame the job's boxes are measured in), made on first request from
 * the kept source through the page's recorded `transform` and then kept as a blob beside the
 * results, so recognition pays nothing for it and a second view costs one blob read.
 */
export class PageImages {
  private readonly inFlight = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly jobs: JobService,
    private readonly blobs: BlobStore,
    private readonly limits: IntakeLimits,
    private readonly scratchDir: string = tmpdir(),
  ) {}

  async get(job: JobRecord, index: number): Promise<PageImage> {
    if (!Number.isInteger(index) || index < 0 || index >= job.page_count) {
      throw new AppError('not_found', `job ${job.uuid} has no page ${index} (pages are 0..${job.page_count - 1})`);
    }
    const found = await this.jobs.pageContent(job, index);
    if (!found) throw new AppError('not_ready', `page ${index} is not read yet (or it failed); its image comes once it is done`, { status: job.status });
    const etag = `"${job.uuid}-${index}-${Date.parse(found.page.finished_at ?? job.created_at).toString(36)}"`;
    const key = pageImageKey(job.uuid, index);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.cachedOrMade(job, index, found.content, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return { body: await pending, contentType: 'image/webp', etag };
  }

  private async cachedOrMade(job: JobRecord, index: number, content: PageContent, key: string): Promise<Buffer> {
    if (await this.blobs.exists(key)) return this.blobs.get(key);
    const body = await this.render(job, index, content);
    await this.blobs.put(key, body);
    return body;
  }

  private async render(job: JobRecord, index: number, content: PageContent): Promise<Buffer> {
    const source = await this.jobs.sourceOf(job);
    if (!source) throw new AppError('not_found', `the source of job ${job.uuid} is no longer kept`);
    const workDir = await mkdtemp(join(this.scratchDir, `img-${job.uuid.slice(0, 8)}-${index}-`));
    try {
      const received =
        job.input_kind === 'pdf'
          ? await rasterisePage(source.path, index, workDir, { ...this.limits, dpi: content.dpi })
          : (await prepareImage(source.path, job.input_kind, index, workDir, this.limits)).imagePath;
      return await toProcessedFrame(received, content);
    } finally {
      await source.release();
      await rm(workDir, { recursive: true, force: true });
    }
  }
}

/**
 * The received page turned into the processed one. Every step recognition takes (quarter turns,
 * deskew, enlargement) is a rotation about the centre onto an expanded canvas or a uniform scale,
 * so their composition is one rotation by atan2(b, a) followed by one scale; the final resize to the
 * recorded size absorbs rounding. A PDF's text-layer page was never transformed: only resized.
 */
export async function toProcessedFrame(receivedPath: string, content: PageContent): Promise<Buffer> {
  const [a, b] = content.transform ?? [1, 0, 0, 1, 0, 0];
  const degrees = (Math.atan2(b, a) * 180) / Math.PI;
  let image = sharp(receivedPath, { limitInputPixels: false }).flatten({ background: '#ffffff' }).greyscale();
  if (Math.abs(degrees) > 0.001) {
    // sharp applies rotate() after resize() in one pipeline; materialise the turn first.
    const turned = await image.rotate(degrees, { background: '#ffffff' }).png({ compressionLevel: 0 }).toBuffer();
    image = sharp(turned, { limitInputPixels: false });
  }
  return image.resize(content.width, content.height, { fit: 'fill' }).webp({ quality: WEBP_QUALITY }).toBuffer();
}
