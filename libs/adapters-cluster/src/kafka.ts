import { Kafka, logLevel, type Admin } from 'kafkajs';
import { fixKafkajsIdleTimer } from './kafkajs-idle-fix';

export interface KafkaConnection {
  brokers: string[];
  clientId: string;
  /** Told about failures kafkajs handles on its own (a consumer crash it restarts from). */
  onError?: (err: unknown, context: string) => void;
}

/** Headers a message carries besides its payload: the request id and job uuid, for the logs. */
export type MessageHeaders = Record<string, string>;

export function createKafka(connection: KafkaConnection): Kafka {
  fixKafkajsIdleTimer();
  return new Kafka({
    clientId: connection.clientId,
    brokers: connection.brokers,
    // kafkajs logs every transient broker state (e.g. "coordinator not available" while the broker
    // creates its internal topics) as an error; failures that matter reach us as rejections.
    logLevel: logLevel.NOTHING,
    // A broker that is down fails a publish within seconds (the edge answers 503), not after
    // kafkajs' default minute of retries; consumers restart on their own after a crash.
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 5 },
  });
}

/**
 * Creates the topics before anything publishes or subscribes: subscribing to a missing topic
 * fails (UNKNOWN_TOPIC_OR_PARTITION) even with broker auto-create, and auto-created topics get
 * the broker's default partition count, too few for workers to share a job.
 */
export async function ensureTopics(kafka: Kafka, topics: Array<{ topic: string; partitions: number }>): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.partitions, replicationFactor: -1 })),
        });
      } catch (err) {
        // Another process created them first.
        if ((err as { type?: unknown }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
      }
    }
  } finally {
    await admin.disconnect();
  }
}

export function headersOf(raw: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): MessageHeaders {
  const out: MessageHeaders = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}
