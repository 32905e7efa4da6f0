// The cluster shape on one machine: the real servers (Kafka, FerretDB, an S3 server, from
// cluster-servers.ts) and every service as its own process on loopback, gateway last. Used by the
// tests (E2E_TARGET=cluster, fault tests) and by `make cluster` (scripts/cluster/run-cluster.mjs).
// Each handle stops exactly the processes it started.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, startClusterServers, type ClusterServers } from './cluster-servers';
import { LoggedChild } from './logged-child';

const REPO = resolve(__dirname, '../../..');
const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 40_000;

export const AUTH_BILLING_TOKEN_CLI = join(REPO, 'apps/auth-billing/dist/cli/make-token.js');

export type ServiceKind = 'auth-billing' | 'ingest' | 'export' | 'chat' | 'cpu-ocr' | 'vlm-ocr' | 'gateway';

/** One service process; restartable with the same settings (ports included). */
export class ServiceProcess {
  private readonly handle = new LoggedChild(STOP_GRACE_MS);
  private logPath: string | undefined;
  /** The HTTP port it reported when ready (the public API on the gateway). */
  port = 0;

  constructor(
    readonly name: string,
    readonly kind: ServiceKind,
    private readonly env: Record<string, string>,
    private readonly echo: boolean,
  ) {}

  get pid(): number | undefined {
    return this.handle.pid;
  }

  /** The service's own DATA_DIR (scratch space; the gateway's incoming uploads). */
  get dataDir(): string {
    return this.env['DATA_DIR'] ?? '';
  }

  get childProcess(): ChildProcess | undefined {
    return this.handle.childProcess;
  }

  get isRunning(): boolean {
    return this.handle.isRunning;
  }

  /** The service logs to a file (LoggedChild says why); its ready line carries its port. */
  async start(): Promise<void> {
    const logPath = join(this.dataDir, '..', `${this.name}.log`);
    const child = this.handle.spawn(process.execPath, [join(REPO, 'apps', this.kind, 'dist/main.js')], { env: { ...process.env, ...this.env } }, logPath);
    this.logPath = logPath;
    let read = 0;
    let partial = '';
    /** New complete lines of the log file since the last call. */
    const newLines = (): string[] => {
      const text = readFileSync(logPath, 'utf8');
      const fresh = partial + text.slice(read);
      read = text.length;
      const lines = fresh.split('\n');
      partial = lines.pop() ?? '';
      return lines;
    };
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      for (const line of newLines()) {
        if (this.echo) process.stdout.write(`[${this.name}] ${line}\n`);
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === `${this.kind} ready` && typeof entry.port === 'number') this.port = entry.port;
        } catch {
          /* not a log line */
        }
      }
      if (this.port) break;
      if (!this.isRunning) throw new Error(`${this.name} exited with ${child.exitCode}:\n${this.logs.join('\n')}`);
      if (Date.now() > deadline) throw new Error(`${this.name} did not start:\n${this.logs.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (this.echo) {
      // Keeps copying the log to the terminal (make cluster) while the service runs.
      const timer = setInterval(() => {
        for (const line of newLines()) process.stdout.write(`[${this.name}] ${line}\n`);
      }, 200);
      timer.unref();
      void this.handle.exited.then(() => clearInterval(timer));
    }
  }

  /** The service's log lines so far (the last 2000). */
  get logs(): string[] {
    if (!this.logPath) return [];
    try {
      return readFileSync(this.logPath, 'utf8').split('\n').slice(-2000);
    } catch {
      return [];
    }
  }

  /** SIGTERM (graceful: current work finishes or is handed back), SIGKILL after a grace period. */
  stop(): Promise<void> {
    return this.handle.stop();
  }

  /** SIGKILL, as a crash would. */
  kill(): Promise<void> {
    return this.handle.kill();
  }
}

export interface ClusterOptions {
  /** Settings for every service (METERING, ALLOW_ANONYMOUS, ...). */
  env?: Record<string, string>;
  /** cpu-ocr processes, each with OCR_WORKERS=1 (default 2). */
  cpuWorkers?: number;
  /** Also run a vlm-ocr worker (needs AI_BASE_URL and AI_VISION_MODEL in env). */
  vlmWorker?: boolean;
  /** The gateway's HTTP port (0: any free port). */
  port?: number;
  host?: string;
  /** Servers already running (a test that stops and restarts them); started here otherwise. */
  servers?: ClusterServers;
  /** Copy each service's log lines to stdout, prefixed with its name (make cluster). */
  echo?: boolean;
}

export interface Cluster {
  baseUrl: string;
  servers: ClusterServers;
  gateway: ServiceProcess;
  services: ServiceProcess[];
  service: (name: string) => ServiceProcess;
  /** The settings every service runs with (servers, gRPC addresses). */
  env: Record<string, string>;
  /** A token through auth-billing (`make token` for the cluster); the last line of its output. */
  makeToken: (name?: string, account?: string) => string;
  /** Starts one more cpu-ocr worker (a scale-out). */
  addCpuWorker: () => Promise<ServiceProcess>;
  stop: () => Promise<void>;
}

/** Starts the servers (unless given) and the seven services; the gateway answers when this resolves. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const host = options.host ?? '127.0.0.1';
  const ownServers = !options.servers;
  const servers = options.servers ?? (await startClusterServers());
  const root = mkdtempSync(join(tmpdir(), 'ocr-cluster-'));
  const grpc = { authBilling: await freePort(), ingest: await freePort(), export: await freePort(), chat: await freePort() };
  const env: Record<string, string> = {
    HOST: host,
    LOG_LEVEL: 'info',
    JOB_STORE: 'mongodb',
    BLOB_STORE: 's3',
    TASK_BUS: 'kafka',
    ...servers.env,
    AUTH_BILLING_GRPC_URL: `${host}:${grpc.authBilling}`,
    INGEST_GRPC_URL: `${host}:${grpc.ingest}`,
    EXPORT_GRPC_URL: `${host}:${grpc.export}`,
    CHAT_GRPC_URL: `${host}:${grpc.chat}`,
    ...options.env,
  };
  const services: ServiceProcess[] = [];
  let workerCount = 0;
  const make = (name: string, kind: ServiceKind, extra: Record<string, string>) => {
    const service = new ServiceProcess(name, kind, { ...env, DATA_DIR: join(root, name), KAFKA_CLIENT_ID: name, PORT: '0', ...extra }, options.echo ?? false);
    services.push(service);
    return service;
  };
  const addCpuWorker = async () => {
    workerCount++;
    const worker = make(`cpu-ocr-${workerCount}`, 'cpu-ocr', { OCR_WORKERS: '1' });
    await worker.start();
    return worker;
  };
  const stopAll = async () => {
    // The gateway first (no new requests), then the workers and services, then the servers.
    const order: ServiceKind[] = ['gateway', 'cpu-ocr', 'vlm-ocr', 'ingest', 'export', 'chat', 'auth-billing'];
    for (const kind of order) await Promise.all(services.filter((s) => s.kind === kind).map((s) => s.stop()));
    if (ownServers) await servers.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await make('auth-billing', 'auth-billing', { GRPC_PORT: String(grpc.authBilling) }).start();
    // ingest first: it creates the Kafka topics (the others would wait for them; ensureTopics takes a race).
    await make('ingest', 'ingest', { GRPC_PORT: String(grpc.ingest) }).start();
    await Promise.all([
      make('export', 'export', { GRPC_PORT: String(grpc.export) }).start(),
      make('chat', 'chat', { GRPC_PORT: String(grpc.chat) }).start(),
    ]);
    for (let i = 0; i < (options.cpuWorkers ?? 2); i++) await addCpuWorker();
    if (options.vlmWorker) await make('vlm-ocr', 'vlm-ocr', { OCR_WORKERS: '1' }).start();
    const gateway = make('gateway', 'gateway', { PORT: String(options.port ?? 0) });
    await gateway.start();
    return {
      baseUrl: `http://${host}:${gateway.port}`,
      servers,
      gateway,
      services,
      service: (name) => {
        const found = services.find((s) => s.name === name);
        if (!found) throw new Error(`no service ${name}`);
        return found;
      },
      env,
      makeToken: (name = 'e2e', account?: string) => {
        const args = account ? [AUTH_BILLING_TOKEN_CLI, name, account] : [AUTH_BILLING_TOKEN_CLI, name];
        const out = execFileSync(process.execPath, args, { env: { ...process.env, ...env } }).toString();
        return out.trim().split('\n').pop() ?? '';
      },
      addCpuWorker,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
