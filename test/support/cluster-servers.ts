// Real cluster servers for tests: Kafka (KRaft), FerretDB (MongoDB wire protocol) and an S3 server
// (s3proxy, or MinIO when S3_SERVER=minio), each installed by scripts/cluster/install-*.sh into the
// tools cache and started here as a plain child process on free loopback ports with a temp data dir.
// Each handle stops exactly the process it started (never anything found by name), and a process
// exit hook SIGKILLs whatever a crashed test left running.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { LoggedChild } from './logged-child';

const REPO = resolve(__dirname, '../../..');
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 20_000;

export type ServerName = 'kafka' | 'ferretdb' | 's3proxy' | 'minio';

/** Runs scripts/cluster/install-<name>.sh (idempotent, cached) and returns the install dir. */
export function installServer(name: ServerName): string {
  const script = join(REPO, 'scripts/cluster', `install-${name}.sh`);
  const result = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`${script} failed (${result.status}):\n${result.stderr}`);
  const dir = result.stdout.trim().split('\n').pop() ?? '';
  if (!dir) throw new Error(`${script} printed no install dir`);
  return dir;
}

/**
 * Ports freePort handed out in this process. The OS may hand a port out again once it is closed:
 * two cluster services were once given the same gRPC port (ingest's, which export then failed to
 * bind).
 */
const handedOut = new Set<number>();

/** A port the OS just handed out on loopback (closed again, so the server can bind it), never the same twice. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await portFromOs();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function portFromOs(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Ports come from the OS's ephemeral range, which outgoing connections share: a port handed out by
 * freePort can be taken again before the server binds it (Kafka once failed so in a full run). Such
 * a start is made again on new ports.
 */
async function onFreshPorts<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (err) {
      const clash = err instanceof Error && /address already in use/i.test(err.message);
      if (!clash || attempt >= attempts) throw err;
    }
  }
}

interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Resolves once the server answers; polled until it does or the process exits. */
  ready: (logs: string) => Promise<boolean>;
}

/** One server process: started, awaited ready, stopped (or killed) and startable again with the same ports and data. */
export class ServerProcess {
  private readonly handle = new LoggedChild(STOP_GRACE_MS);
  private logPath: string | undefined;

  constructor(private readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.handle.pid;
  }

  /** The last 64 KB the process wrote, for failure messages. */
  get logs(): string {
    if (!this.logPath) return '';
    try {
      return readFileSync(this.logPath, 'utf8').slice(-65_536);
    } catch {
      return '';
    }
  }

  get isRunning(): boolean {
    return this.handle.isRunning;
  }

  async start(): Promise<void> {
    if (this.isRunning) return;
    // To a file (LoggedChild says why; s3proxy logs every request).
    this.logPath ??= join(mkdtempSync(join(tmpdir(), `ocr-${this.spec.name}-log-`)), 'server.log');
    this.handle.spawn(this.spec.command, this.spec.args, { cwd: this.spec.cwd, env: { ...process.env, ...this.spec.env } }, this.logPath);
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (!this.isRunning) throw new Error(`${this.spec.name} exited while starting:\n${this.logs}`);
      if (await this.spec.ready(this.logs).catch(() => false)) return;
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(`${this.spec.name} was not ready within ${START_TIMEOUT_MS} ms:\n${this.logs}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after a grace period. */
  stop(): Promise<void> {
    return this.handle.stop();
  }

  /** SIGKILL, as a crash would. */
  kill(): Promise<void> {
    return this.handle.kill();
  }

  /** Removes the log file's directory (once the process is stopped for good). */
  removeLog(): void {
    if (this.logPath) rmSync(dirname(this.logPath), { recursive: true, force: true });
    this.logPath = undefined;
  }
}

async function tcpOpen(port: number): Promise<boolean> {
  return new Promise((r) => {
    const socket = createConnection({ host: HOST, port });
    socket.once('connect', () => {
      socket.destroy();
      r(true);
    });
    socket.once('error', () => r(false));
  });
}

export interface StartedServer {
  process: ServerProcess;
  dataDir: string;
  /** Stops the process and removes its data dir. */
  stop: () => Promise<void>;
}

export interface KafkaServer extends StartedServer {
  brokers: string[];
}

export interface MongoServer extends StartedServer {
  uri: string;
}

export interface S3Server extends StartedServer {
  endpoint: string;
  region: string;
  accessKey: string;
  secretKey: string;
}

function handle<T extends object>(proc: ServerProcess, dataDir: string, extra: T): T & StartedServer {
  return {
    ...extra,
    process: proc,
    dataDir,
    stop: async () => {
      await proc.stop();
      proc.removeLog();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// -XX:-UsePerfData: no shared-memory counters for jstat, which the JVM otherwise updates all the time.
const JAVA_OPTS = ['-Xms64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Djava.awt.headless=true'];

/** Apache Kafka in KRaft mode (one broker that is also the controller). */
export function startKafka(): Promise<KafkaServer> {
  return onFreshPorts(startKafkaOnce);
}

async function startKafkaOnce(): Promise<KafkaServer> {
  const home = installServer('kafka');
  const dataDir = mkdtempSync(join(tmpdir(), 'ocr-kafka-'));
  const port = await freePort();
  const controllerPort = await freePort();
  const props = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${HOST}:${controllerPort}`,
    `listeners=PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${HOST}:${port}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${join(dataDir, 'logs')}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=4',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    // Tests use short consumer session timeouts so a killed consumer's partitions move in seconds.
    'group.min.session.timeout.ms=1000',
    'auto.create.topics.enable=false',
    // Idle cost (CPU seconds while nothing happens, measured by bench/cluster-cpu.mjs): the
    // controller appends a no-op record to the metadata log every 500 ms by default, and the
    // default thread pools (3 network, 8 I/O, 10 background) are sized for many clients, not seven.
    'metadata.max.idle.interval.ms=5000',
    'num.network.threads=1',
    'num.io.threads=2',
    'background.threads=2',
  ];
  const config = join(dataDir, 'server.properties');
  writeFileSync(config, props.join('\n') + '\n');
  const classpath = `${join(home, 'lib')}/*`;
  const format = (args: string[]): string => {
    const r = spawnSync('java', ['-cp', classpath, 'kafka.tools.StorageTool', ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`kafka StorageTool ${args[0]} failed:\n${r.stderr}${r.stdout}`);
    return r.stdout.trim();
  };
  const clusterId = format(['random-uuid']).split('\n').pop() ?? '';
  format(['format', '-t', clusterId, '-c', config, '--ignore-formatted']);
  const proc = new ServerProcess({
    name: 'kafka',
    command: 'java',
    args: ['-Xmx512m', ...JAVA_OPTS, '-cp', classpath, 'kafka.Kafka', config],
    ready: async (logs) => /Kafka Server started/.test(logs) && (await tcpOpen(port)),
  });
  await proc.start();
  return handle(proc, dataDir, { brokers: [`${HOST}:${port}`] });
}

/** FerretDB v1 over SQLite: speaks the MongoDB wire protocol (no transactions, change streams or TTL indexes; concurrent $inc is lossy). */
export function startFerretDb(): Promise<MongoServer> {
  return onFreshPorts(startFerretDbOnce);
}

async function startFerretDbOnce(): Promise<MongoServer> {
  const home = installServer('ferretdb');
  const dataDir = mkdtempSync(join(tmpdir(), 'ocr-ferretdb-'));
  mkdirSync(join(dataDir, 'sqlite'));
  mkdirSync(join(dataDir, 'state'));
  const port = await freePort();
  const debugPort = await freePort();
  const proc = new ServerProcess({
    name: 'ferretdb',
    command: join(home, 'ferretdb'),
    args: [
      '--handler=sqlite',
      `--sqlite-url=file:${join(dataDir, 'sqlite')}/`,
      `--state-dir=${join(dataDir, 'state')}`,
      `--listen-addr=${HOST}:${port}`,
      `--debug-addr=${HOST}:${debugPort}`,
      '--telemetry=disable',
      '--log-level=warn',
    ],
    ready: () => tcpOpen(port),
  });
  await proc.start();
  return handle(proc, dataDir, { uri: `mongodb://${HOST}:${port}/` });
}

const S3_ACCESS_KEY = 'ocr-test-access';
const S3_SECRET_KEY = 'ocr-test-secret-key';
const S3_REGION = 'us-east-1';

/** An S3 server: s3proxy over a directory by default, MinIO when S3_SERVER=minio. */
export async function startS3(): Promise<S3Server> {
  return process.env['S3_SERVER'] === 'minio' ? startMinio() : startS3Proxy();
}

async function httpAnswers(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  return res.status < 500;
}

function startS3Proxy(): Promise<S3Server> {
  return onFreshPorts(startS3ProxyOnce);
}

async function startS3ProxyOnce(): Promise<S3Server> {
  const home = installServer('s3proxy');
  const dataDir = mkdtempSync(join(tmpdir(), 'ocr-s3proxy-'));
  mkdirSync(join(dataDir, 'blobs'));
  const port = await freePort();
  const endpoint = `http://${HOST}:${port}`;
  const config = join(dataDir, 's3proxy.properties');
  writeFileSync(
    config,
    [
      `s3proxy.endpoint=${endpoint}`,
      's3proxy.authorization=aws-v2-or-v4',
      `s3proxy.identity=${S3_ACCESS_KEY}`,
      `s3proxy.credential=${S3_SECRET_KEY}`,
      'jclouds.provider=filesystem',
      `jclouds.filesystem.basedir=${join(dataDir, 'blobs')}`,
      `jclouds.region=${S3_REGION}`,
    ].join('\n') + '\n',
  );
  // s3proxy ships no logging configuration, and logback's default is DEBUG for everything: Jetty
  // wrote hundreds of lines per request, which cost the S3 server most of its CPU time.
  const logging = join(dataDir, 'logback.xml');
  writeFileSync(
    logging,
    [
      '<configuration>',
      '  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">',
      '    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>',
      '  </appender>',
      '  <root level="WARN"><appender-ref ref="OUT"/></root>',
      '</configuration>',
    ].join('\n') + '\n',
  );
  const proc = new ServerProcess({
    name: 's3proxy',
    command: 'java',
    args: ['-Xmx256m', ...JAVA_OPTS, `-Dlogback.configurationFile=${logging}`, '-cp', `${join(home, 'lib')}/*`, 'org.gaul.s3proxy.Main', '--properties', config],
    ready: () => httpAnswers(`${endpoint}/`),
  });
  await proc.start();
  return handle(proc, dataDir, { endpoint, region: S3_REGION, accessKey: S3_ACCESS_KEY, secretKey: S3_SECRET_KEY });
}

function startMinio(): Promise<S3Server> {
  return onFreshPorts(startMinioOnce);
}

async function startMinioOnce(): Promise<S3Server> {
  const home = installServer('minio');
  const dataDir = mkdtempSync(join(tmpdir(), 'ocr-minio-'));
  const port = await freePort();
  const consolePort = await freePort();
  const endpoint = `http://${HOST}:${port}`;
  const proc = new ServerProcess({
    name: 'minio',
    command: join(home, 'minio'),
    args: ['server', join(dataDir, 'data'), '--address', `${HOST}:${port}`, '--console-address', `${HOST}:${consolePort}`, '--quiet'],
    env: { MINIO_ROOT_USER: S3_ACCESS_KEY, MINIO_ROOT_PASSWORD: S3_SECRET_KEY, MINIO_BROWSER: 'off', MINIO_REGION: S3_REGION },
    ready: () => httpAnswers(`${endpoint}/minio/health/ready`),
  });
  await proc.start();
  return handle(proc, dataDir, { endpoint, region: S3_REGION, accessKey: S3_ACCESS_KEY, secretKey: S3_SECRET_KEY });
}

export interface ClusterServers {
  kafka: KafkaServer;
  mongo: MongoServer;
  s3: S3Server;
  /** The settings that point the cluster adapters at these servers (names as in docs/SETTINGS.md). */
  env: Record<string, string>;
  stop: () => Promise<void>;
}

/** All three servers, started in parallel; stop() stops exactly these. */
export async function startClusterServers(): Promise<ClusterServers> {
  const started = await Promise.allSettled([startKafka(), startFerretDb(), startS3()]);
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [kafka, mongo, s3] = started.map((s) => (s as PromiseFulfilledResult<StartedServer>).value) as [
    KafkaServer,
    MongoServer,
    S3Server,
  ];
  return {
    kafka,
    mongo,
    s3,
    env: {
      MONGODB_URI: `${mongo.uri}ocr`,
      S3_ENDPOINT: s3.endpoint,
      S3_REGION: s3.region,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_BUCKET: 'ocr-test',
      KAFKA_BROKERS: kafka.brokers.join(','),
    },
    stop: async () => {
      await Promise.all([kafka.stop(), mongo.stop(), s3.stop()]);
    },
  };
}
