import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { ExportService } from '@ocr/export';
import { intakeLimits, PageImages } from '@ocr/page-worker';
import { resolveTessdataDir } from '@ocr/ocr';
import { inProcessExports } from '@ocr/app';
import { exportHandlers } from '@ocr/transport-grpc';
import { closePorts, openPorts } from '../ports';
import { scratchDir } from '../engines';
import { answers, portOptions, checkAll, serveGrpcService, type RunningService } from './common';
import { clusterJobService, NO_JOB } from './jobs';

/** export: renders finished jobs and page images (cached with the job's blobs) for the gateway. */
export async function startExport(settings: Settings, log: Logger): Promise<RunningService> {
  const ports = await openPorts(settings, { ...portOptions('export', log), readsJobsOnly: true });
  const jobs = clusterJobService(settings, ports, log, null);
  const scratch = await scratchDir(settings);
  const images = new PageImages(jobs, ports.blobStore, intakeLimits(settings), scratch);
  const exports = new ExportService(ports.blobStore, jobs, scratch, {
    tessdataDir: resolveTessdataDir(settings),
    limits: intakeLimits(settings),
  });
  return serveGrpcService(
    settings,
    log,
    (server) => server.add('Export', exportHandlers(inProcessExports(exports, jobs, images), log)),
    () =>
      checkAll({
        job_store: () => answers(() => ports.jobStore.getJob(NO_JOB)),
        blob_store: () => answers(() => ports.blobStore.exists(`uploads/${NO_JOB}`)),
      }),
    () => closePorts(ports),
  );
}
