import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
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
 * Calls `attempt` until it answers true, for up to `forMs` (a broker still starting, electing
 * leaders or loading a group coordinator refuses for a moment), waiting `stepMs` more after each
 * try, at most `maxWaitMs`. An error `retriable` rejects is thrown at once; past the deadline the
 * last error, or `gaveUp` when the attempts answered false, is thrown.
 */
export async function retryFor(
  forMs: number,
  attempt: () => Promise<boolean>,
  options: { stepMs: number; maxWaitMs: number; retriable: (err: unknown) => boolean; gaveUp: () => Error },
): Promise<void> {
  const deadline = Date.now() + forMs;
  for (let tries = 1; ; tries++) {
    try {
      if (await attempt()) return;
      if (Date.now() > deadline) throw options.gaveUp();
    } catch (err) {
      if (!options.retriable(err) || Date.now() > deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.stepMs * tries, options.maxWaitMs)));
  }
}

/** How long a service waits for its topics at start (a broker still starting, a topic another process is creating). */
const TOPICS_READY_MS = 30_000;

/** The broker refused a create because the topic exists (alone, or for every topic of the request). */
function alreadyExists(err: unknown): boolean {
  const e = err as { type?: unknown; errors?: unknown };
  if (e.type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every((x) => (x as { type?: unknown }).type === 'TOPIC_ALREADY_EXISTS');
}

/** Every topic is known to the broker with a leader for each partition: producing and subscribing work. */
async function topicsReady(admin: Admin, names: string[]): Promise<boolean> {
  const { topics } = await admin.fetchTopicMetadata({ topics: names });
  return names.every((name) => {
    const t = topics.find((x) => x.name === name);
    return t !== undefined && t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0);
  });
}

/**
 * Creates the topics before anything publishes or subscribes: subscribing to a missing topic
 * fails (UNKNOWN_TOPIC_OR_PARTITION) even with broker auto-create, and auto-created topics get
 * the broker's default partition count, too few for workers to share a job.
 *
 * Several services start at once and each ensures the topics. The one that loses the race gets
 * TOPIC_ALREADY_EXISTS for a topic whose partitions may have no leader yet (kafkajs then returns
 * without waiting for leaders), and a broker still electing its controller refuses for a moment.
 * So: create what is missing, take "already exists" as success, and wait until every partition
 * has a leader, retrying whatever fails until `readyMs` is spent.
 */
export async function ensureTopics(kafka: Kafka, topics: Array<{ topic: string; partitions: number }>, readyMs = TOPICS_READY_MS): Promise<void> {
  const names = topics.map((t) => t.topic);
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    await retryFor(
      readyMs,
      async () => {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t.topic));
        if (missing.length > 0) {
          await admin
            .createTopics({
              waitForLeaders: true,
              topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.partitions, replicationFactor: -1 })),
            })
            .catch((err: unknown) => {
              if (!alreadyExists(err)) throw err;
            });
        }
        return topicsReady(admin, names);
      },
      {
        stepMs: 100,
        maxWaitMs: 1_000,
        retriable: () => true,
        gaveUp: () => new Error(`Kafka topics ${names.join(', ')} have no leader after ${readyMs} ms`),
      },
    );
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

/** The pause before a consumer kafkajs gave up on is built again; it doubles, up to the most, while starts fail. */
const RELAUNCH_FIRST_MS = 1_000;
const RELAUNCH_MOST_MS = 30_000;

export interface KeptConsumer {
  /** Disconnects the consumer in hand; no other is built after it. */
  stop(): Promise<void>;
}

/**
 * Runs a consumer for as long as its owner is open. kafkajs restarts a crashed consumer only after
 * an error it counts as retriable; after any other (a group coordinator not found while a broker
 * restarts, a handler's publish that failed for good) the consumer stays stopped while the process
 * lives on and takes nothing: a worker's one-page job then waited out INLINE_WAIT_SECONDS. Such a
 * crash has a new consumer built and started in its place (same group and subscription). A failed
 * first start is the caller's: a service that cannot consume does not start.
 */
export async function keepConsuming(spec: {
  /** What the consumer is, for the errors reported. */
  what: string;
  build: () => Consumer;
  /** Connects, subscribes and runs the consumer built. */
  start: (consumer: Consumer) => Promise<void>;
  onError?: (err: unknown, context: string) => void;
}): Promise<KeptConsumer> {
  let stopped = false;
  let current: Consumer | null = null;
  let relaunch: NodeJS.Timeout | null = null;
  let pause = RELAUNCH_FIRST_MS;
  const launch = async (): Promise<void> => {
    const consumer = spec.build();
    current = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      spec.onError?.(event.payload.error, `${spec.what} crashed${event.payload.restart ? '' : ' (started again)'}`);
      if (!event.payload.restart) relaunchLater();
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      pause = RELAUNCH_FIRST_MS;
    });
    await spec.start(consumer);
  };
  const relaunchLater = (): void => {
    if (stopped || relaunch) return;
    const dead = current;
    relaunch = setTimeout(() => {
      relaunch = null;
      void (async () => {
        // A consumer that crashed has let go already; one that did not answer is not waited for.
        if (dead) await Promise.race([dead.disconnect().catch(() => undefined), new Promise((r) => setTimeout(r, RELAUNCH_MOST_MS).unref())]);
        if (stopped) return;
        try {
          await launch();
        } catch (err) {
          spec.onError?.(err, `${spec.what} did not start again`);
          pause = Math.min(pause * 2, RELAUNCH_MOST_MS);
          relaunchLater();
        }
      })();
    }, pause);
  };
  await launch();
  return {
    stop: async () => {
      stopped = true;
      if (relaunch) clearTimeout(relaunch);
      await current?.disconnect();
    },
  };
}
