import type { INestApplication } from '@nestjs/common';
import type { Logger } from 'pino';
import { loadSettings, type Settings } from '@ocr/config';
import { createProbeApp, listen, PlatformMetrics, type Readiness } from '@ocr/http-api';
import { currentContext, runWithContext, type RequestContext } from '@ocr/app';
import { AuthBillingClient, GrpcServer, type ClientSettings } from '@ocr/transport-grpc';
import { createLogger } from '../logger';
import { closeMongoConnections, type PortOptions } from '../ports';
import { assertClusterAdapters, type ServiceName } from '../services';

/** A cluster service running in this process. */
export interface RunningService {
  /** HTTP port of the probes (the public API on the gateway). */
  port: number;
  /** gRPC port, for the services that serve one. */
  grpcPort: number | null;
  /** Stops taking work, lets current work finish (SHUTDOWN_GRACE_SECONDS), closes everything. */
  stop: () => Promise<void>;
}

/**
 * How a service opens its ports: its Kafka consumer group and client id carry its name, and the
 * request id and job uuid travel in Kafka headers as they do in gRPC metadata.
 */
export function portOptions(service: string, log: Logger): PortOptions {
  return {
    service,
    log,
    outgoingHeaders: () => {
      const c = currentContext();
      return { ...(c.requestId ? { request_id: c.requestId } : {}), ...(c.jobUuid ? { job_uuid: c.jobUuid } : {}) };
    },
    withHeaders: (headers, run) => {
      const context: RequestContext = {};
      if (headers['request_id']) context.requestId = headers['request_id'];
      if (headers['job_uuid']) context.jobUuid = headers['job_uuid'];
      return runWithContext(context, run);
    },
  };
}

export function clientSettings(settings: Settings, url: string): ClientSettings {
  return { url, deadlineMs: settings.GRPC_DEADLINE_SECONDS * 1000 };
}

export function authBillingClient(settings: Settings): AuthBillingClient {
  return new AuthBillingClient(clientSettings(settings, settings.AUTH_BILLING_GRPC_URL));
}

/** True when `probe` settles successfully within `ms`: a dependency that hangs is not ready. */
export async function answers(probe: () => Promise<unknown>, ms = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([probe().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function checkAll(checks: Record<string, () => Promise<boolean>>): Promise<Record<string, boolean>> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await check()] as const));
  return Object.fromEntries(entries);
}

/** /healthz, /readyz and the service's own /metrics on PORT (process metrics, and whatever the service counts). */
export async function serveProbes(
  settings: Settings,
  log: Logger,
  readiness: Readiness,
  metrics: PlatformMetrics = new PlatformMetrics(() => null),
): Promise<{ app: INestApplication; port: number }> {
  const app = await createProbeApp(readiness, { metrics, settings }, log);
  return { app, port: await listen(app, settings.PORT, settings.HOST, settings.HTTP_KEEP_ALIVE_SECONDS) };
}

/**
 * A gRPC service with its probes: the gRPC server on GRPC_PORT, /healthz, /readyz and /metrics on
 * PORT. Stopping drains the calls in flight (SHUTDOWN_GRACE_SECONDS), closes the probes, then the
 * service's own resources (`close`) and the process's MongoDB connections.
 */
export async function serveGrpcService(
  settings: Settings,
  log: Logger,
  add: (server: GrpcServer) => void,
  readiness: Readiness,
  close: () => Promise<void>,
): Promise<RunningService> {
  const grpc = await serveGrpc(settings, add);
  const probes = await serveProbes(settings, log, readiness);
  return {
    port: probes.port,
    grpcPort: grpc.port,
    stop: async () => {
      await grpc.server.stop(settings.SHUTDOWN_GRACE_SECONDS * 1000);
      await probes.app.close();
      await close();
      await closeMongoConnections();
    },
  };
}

/** The service's gRPC server on GRPC_PORT. */
async function serveGrpc(settings: Settings, add: (server: GrpcServer) => void): Promise<{ server: GrpcServer; port: number }> {
  const server = new GrpcServer();
  add(server);
  return { server, port: await server.listen(settings.HOST, settings.GRPC_PORT) };
}

/**
 * A service's main: start, log one ready line (ports included), stop on SIGTERM or SIGINT
 * (stop taking work, finish or hand back the current one), exit.
 */
export function runClusterService(name: ServiceName, start: (settings: Settings, log: Logger) => Promise<RunningService>): void {
  let settings: Settings;
  try {
    settings = loadSettings();
    if (name !== 'auth-billing') assertClusterAdapters(name, settings);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  }
  const log = createLogger(settings, name);
  start(settings, log).then(
    (running) => {
      log.info({ port: running.port, grpc_port: running.grpcPort }, `${name} ready`);
      const shutdown = (signal: string) => {
        log.info({ signal }, `${name} stopping`);
        // A stop that hangs past the grace period must not keep the process (and its port) alive.
        setTimeout(() => process.exit(1), (settings.SHUTDOWN_GRACE_SECONDS + 5) * 1000).unref();
        running.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            log.error({ err }, `${name} stopped with an error`);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    },
    (err: unknown) => {
      log.fatal({ err }, `${name} failed to start`);
      process.exit(1);
    },
  );
}
