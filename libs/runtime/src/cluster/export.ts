import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { ExportService } from '@ocr/export';
import { intakeLimits, PageImages } from '@ocr/page-worker';
import { resolveTessdataDir } from '@ocr/ocr';
import { inProcessExports } from '@ocr/app';
import { exportHandlers } from '@ocr/transport-grpc';
import { closeMongoConnections, openPorts } from '../ports';
import { scratchDir } from '../engines';
import { answers, portOptions, checkAll, serveGrpc, serveProbes, type RunningService } from './common';
import { clusterJobService, NO_JOB } from './jobs';

/** export: renders finished jobs and page images (cached with the job's blobs) for the gateway. */
export async function startExport(settings: Settings, log: Logger): Promise<RunningService> {
  const ports = await openPorts(settings, portOptions('export', log));
  const jobs = clusterJobService(settings, ports, log, null);
  const scratch = await scratchDir(settings);
  const images = new PageImages(jobs, ports.blobStore, intakeLimits(settings), scratch);
  const exports = new ExportService(ports.blobStore, jobs, scratch, {
    tessdataDir: resolveTessdataDir(settings),
    limits: intakeLimits(settings),
  });
  const grpc = await serveGrpc(settings, (server) => server.add('Export', exportHandlers(inProcessExports(exports, jobs, images), log)));
  const probes = await serveProbes(settings, log, () =>
    checkAll({
      job_store: () => answers(() => ports.jobStore.getJob(NO_JOB)),
      blob_store: () => answers(() => ports.blobStore.exists(`uploads/${NO_JOB}`)),
    }),
  );
  return {
    port: probes.port,
    grpcPort: grpc.port,
    stop: async () => {
      await grpc.server.stop(settings.SHUTDOWN_GRACE_SECONDS * 1000);
      await probes.app.close();
      await ports.taskBus.close();
      await ports.jobStore.close();
      await ports.chatStore.close();
      await closeMongoConnections();
    },
  };
}
