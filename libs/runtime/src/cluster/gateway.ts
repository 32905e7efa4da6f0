import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { plansFromSettings } from '@ocr/accounts';
import { blobStaging, createAppServices } from '@ocr/app';
import { createHttpApp, listen, PlatformMetrics, type Platform } from '@ocr/http-api';
import { ChatClient, ExportClient, IngestClient } from '@ocr/transport-grpc';
import { openBlobStore } from '../ports';
import { describeEngines } from '../engines';
import { answers, authBillingClient, checkAll, clientSettings, type RunningService } from './common';
import { NO_JOB } from './jobs';

/**
 * gateway: the whole public API and the web pages, on the same controllers and use cases as
 * standalone, with every service behind a gRPC client. It keeps no state: an upload goes from its
 * disk to the object store before ingest hears of it, and every decision (token, 402, job) is made
 * by the service that owns it.
 */
export async function startGateway(settings: Settings, log: Logger): Promise<RunningService> {
  // The gateway's only store: uploads go to the object store before ingest hears of the job.
  const blobs = await openBlobStore(settings);
  const billing = authBillingClient(settings);
  const ingest = new IngestClient(clientSettings(settings, settings.INGEST_GRPC_URL));
  const exports = new ExportClient(clientSettings(settings, settings.EXPORT_GRPC_URL), settings.PAGE_TIMEOUT_SECONDS * 1000);
  const chat = new ChatClient(
    clientSettings(settings, settings.CHAT_GRPC_URL),
    (settings.AI_MAX_RETRIES + 1) * settings.AI_TIMEOUT_SECONDS * 1000,
  );
  const engines = describeEngines(settings, log);
  const plans = plansFromSettings(settings);
  const ai = { visionConfigured: engines.vlmConfigured, translationConfigured: engines.translationConfigured };
  const platform: Platform = {
    settings,
    languages: engines.languages,
    plans,
    ai,
    // Request metrics of the gateway; page and queue figures are the workers' (not exported yet).
    metrics: new PlatformMetrics(() => null),
    // Job list, events, page images, webhooks and pages= are not carried over gRPC yet: 501.
    local: null,
    app: createAppServices({
      settings,
      languages: engines.languages,
      plans,
      ai,
      identity: billing,
      accounts: billing,
      metering: settings.METERING ? billing : null,
      ingest,
      staging: blobStaging(blobs),
      exports,
      chat,
    }),
    engineName: () => null,
    log,
    readiness: () =>
      checkAll({
        auth_billing: () => billing.grpc.ready(2000),
        ingest: () => ingest.grpc.ready(2000),
        export: () => exports.grpc.ready(2000),
        chat: () => chat.grpc.ready(2000),
        blob_store: () => answers(() => blobs.exists(`uploads/${NO_JOB}`)),
      }),
  };
  const app = await createHttpApp(platform);
  const port = await listen(app, settings.PORT, settings.HOST, settings.HTTP_KEEP_ALIVE_SECONDS);
  return {
    port,
    grpcPort: null,
    stop: async () => {
      // Requests in flight (inline waits included) finish; new connections are refused.
      await app.close();
      for (const client of [billing, ingest, exports, chat]) client.close();
    },
  };
}
