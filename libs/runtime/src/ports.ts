import { join } from 'node:path';
import type { Connection } from 'mongoose';
import type { Settings } from '@ocr/config';
import type { BlobStore, ChatStore, JobStore, PageEventBus, TaskBus, TokenStore } from '@ocr/domain';
import { FileTokenStore, InProcessTaskBus, LocalBlobStore, NedbChatStore, NedbJobStore } from '@ocr/adapters-embedded';
import {
  connectMongo,
  KafkaPageEventBus,
  KafkaTaskBus,
  MongoChatStore,
  MongoJobStore,
  MongoTokenStore,
  S3BlobStore,
  type KafkaConnection,
  type MessageHeaders,
} from '@ocr/adapters-cluster';

export interface Ports {
  jobStore: JobStore;
  blobStore: BlobStore;
  taskBus: TaskBus;
  tokenStore: TokenStore;
  /** Chat history lives in the job store's database (JOB_STORE). */
  chatStore: ChatStore;
}

export interface PortOptions {
  /**
   * The service these ports serve: names its Kafka consumer group (`ocr-<service>`, so each
   * worker kind gets every task once) and client id.
   */
  service?: string;
  log?: { error(obj: object, msg: string): void; info?(obj: object, msg: string): void };
  /** Request context (request id, job uuid) into Kafka headers and back out, for the logs. */
  outgoingHeaders?: () => MessageHeaders;
  withHeaders?: (headers: MessageHeaders, run: () => Promise<void>) => Promise<void>;
  /** The service only reads jobs (export, chat): it gets no task bus, and so no Kafka connection. */
  readsJobsOnly?: boolean;
}

/** The task bus of a service that only reads jobs: nothing to publish, nothing to consume. */
class NoTaskBus implements TaskBus {
  constructor(private readonly service: string) {}

  publish(): Promise<void> {
    return Promise.reject(new Error(`${this.service} publishes no page tasks`));
  }

  consume(): Promise<void> {
    return Promise.reject(new Error(`${this.service} consumes no page tasks`));
  }

  async close(): Promise<void> {}
}

const mongoConnections = new Map<string, Promise<Connection>>();

/** One MongoDB connection per process and URI, shared by every Mongo store. */
export function mongoConnection(settings: Settings): Promise<Connection> {
  let conn = mongoConnections.get(settings.MONGODB_URI);
  if (!conn) {
    conn = connectMongo(settings.MONGODB_URI, { serverSelectionTimeoutMs: settings.MONGODB_TIMEOUT_MS });
    // A failed connect is not cached: the next caller tries again.
    conn.catch(() => mongoConnections.delete(settings.MONGODB_URI));
    mongoConnections.set(settings.MONGODB_URI, conn);
  }
  return conn;
}

/** Closes the process's MongoDB connections (the stores share them, so the stores do not). */
export async function closeMongoConnections(): Promise<void> {
  const all = [...mongoConnections.values()];
  mongoConnections.clear();
  await Promise.all(all.map(async (c) => (await c.catch(() => null))?.close()));
}

function kafkaConnection(settings: Settings, options: PortOptions): KafkaConnection {
  const service = options.service ?? 'standalone';
  return {
    brokers: settings.KAFKA_BROKERS.split(',').map((b) => b.trim()).filter((b) => b !== ''),
    clientId: `${settings.KAFKA_CLIENT_ID}-${service}`,
    onError: (err, context) => options.log?.error({ err }, context),
  };
}

/** Closes the ports a cluster service opened: the task bus first (no new work), then the stores. */
export async function closePorts(ports: Ports): Promise<void> {
  await ports.taskBus.close();
  await ports.jobStore.close();
  await ports.chatStore.close();
}

/** Binds each port to the adapter its setting names (JOB_STORE, BLOB_STORE, TASK_BUS). */
export async function openPorts(settings: Settings, options: PortOptions = {}): Promise<Ports> {
  const jobStore: JobStore = await (async () => {
    switch (settings.JOB_STORE) {
      case 'embedded':
        return NedbJobStore.open(join(settings.dataDir, 'db'));
      case 'mongodb':
        return MongoJobStore.open(await mongoConnection(settings));
    }
  })();
  const blobStore = await openBlobStore(settings);
  const taskBus: TaskBus = await (async () => {
    if (options.readsJobsOnly) return new NoTaskBus(options.service ?? 'this service');
    switch (settings.TASK_BUS) {
      case 'inprocess':
        return new InProcessTaskBus();
      case 'kafka':
        return KafkaTaskBus.open({
          ...kafkaConnection(settings, options),
          topic: settings.KAFKA_TOPIC_PAGE_TASKS,
          partitions: settings.KAFKA_PARTITIONS,
          groupId: `ocr-${options.service ?? 'standalone'}`,
          // New tasks go to an idle CPU worker's partition (the cluster's cpu-ocr group; standalone
          // on Kafka is its own group): keys alone leave one worker idle while the other has two pages.
          balanceGroupId: options.service === undefined || options.service === 'standalone' ? 'ocr-standalone' : 'ocr-cpu-ocr',
          sessionTimeoutMs: settings.KAFKA_SESSION_TIMEOUT_MS,
          onHandoff: (task, partition) => options.log?.info?.({ job_uuid: task.job_uuid, page: task.index + 1, partition }, 'waiting page handed to an idle worker'),
          ...(options.outgoingHeaders ? { outgoingHeaders: options.outgoingHeaders } : {}),
          ...(options.withHeaders ? { withHeaders: options.withHeaders } : {}),
        });
    }
  })();
  const tokenStore = await openTokenStore(settings);
  const chatStore: ChatStore = await (async () => {
    switch (settings.JOB_STORE) {
      case 'embedded':
        return NedbChatStore.open(join(settings.dataDir, 'db'));
      case 'mongodb':
        return MongoChatStore.open(await mongoConnection(settings));
    }
  })();
  return { jobStore, blobStore, taskBus, tokenStore, chatStore };
}

/** The blob store BLOB_STORE names, alone (the cluster gateway needs only this one). */
export async function openBlobStore(settings: Settings): Promise<BlobStore> {
  switch (settings.BLOB_STORE) {
    case 'local':
      return new LocalBlobStore(join(settings.dataDir, 'blobs'));
    case 's3':
      return S3BlobStore.open({
        endpoint: settings.S3_ENDPOINT,
        bucket: settings.S3_BUCKET,
        region: settings.S3_REGION,
        accessKey: settings.S3_ACCESS_KEY,
        secretKey: settings.S3_SECRET_KEY,
        scratchDir: join(settings.dataDir, 'scratch', 's3'),
        timeoutMs: settings.S3_TIMEOUT_MS,
        ...(settings.S3_PUBLIC_ENDPOINT ? { publicEndpoint: settings.S3_PUBLIC_ENDPOINT } : {}),
      });
  }
}

/**
 * Page outcomes from the workers back to ingest (`KAFKA_TOPIC_PAGE_EVENTS`); null without Kafka,
 * where the job service's own events reach every waiter in the one process.
 */
export async function openPageEvents(settings: Settings, options: PortOptions = {}): Promise<PageEventBus | null> {
  if (settings.TASK_BUS !== 'kafka') return null;
  return KafkaPageEventBus.open({
    ...kafkaConnection(settings, options),
    topic: settings.KAFKA_TOPIC_PAGE_EVENTS,
    partitions: settings.KAFKA_PARTITIONS,
    sessionTimeoutMs: settings.KAFKA_SESSION_TIMEOUT_MS,
    groupPrefix: `ocr-${options.service ?? 'standalone'}-events`,
    ...(options.outgoingHeaders ? { outgoingHeaders: options.outgoingHeaders } : {}),
    ...(options.withHeaders ? { withHeaders: options.withHeaders } : {}),
  });
}

/** Tokens live in their own store so `make token` can add one while the service runs. */
export async function openTokenStore(settings: Settings): Promise<TokenStore> {
  switch (settings.JOB_STORE) {
    case 'embedded':
      return new FileTokenStore(join(settings.dataDir, 'tokens'));
    case 'mongodb':
      return MongoTokenStore.open(await mongoConnection(settings));
  }
}
