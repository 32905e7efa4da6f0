import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { PageEvent, PageEventBus, PageEventHandler } from '@ocr/domain';
import { createKafka, ensureTopics, headersOf, keepConsuming, retryFor, type KafkaConnection, type KeptConsumer, type MessageHeaders } from './kafka';

/** How long a subscriber keeps retrying a broker that is still settling (leaders, group coordinator). */
const START_RETRY_MS = 30_000;

export interface KafkaPageEventBusOptions extends KafkaConnection {
  /** `ocr.page-events` (KAFKA_TOPIC_PAGE_EVENTS). */
  topic: string;
  partitions: number;
  sessionTimeoutMs: number;
  /** Subscribers get a group of their own (`<prefix>-<random>`): every subscriber hears every event. */
  groupPrefix: string;
  outgoingHeaders?: () => MessageHeaders;
  withHeaders?: (headers: MessageHeaders, run: () => Promise<void>) => Promise<void>;
}

function parseEvent(raw: string): PageEvent | null {
  try {
    const v = JSON.parse(raw) as Partial<PageEvent>;
    if (typeof v.job_uuid !== 'string' || !Number.isInteger(v.index) || (v.outcome !== 'done' && v.outcome !== 'failed')) return null;
    return { job_uuid: v.job_uuid, index: v.index as number, outcome: v.outcome, finished: v.finished === true, ...(typeof v.webhook === 'boolean' ? { webhook: v.webhook } : {}) };
  } catch {
    return null;
  }
}

/**
 * Page outcomes on Kafka (`ocr.page-events`, keyed by job uuid so one job's events stay in
 * order). Events are notifications: a subscriber starts at the latest offset, and one that
 * misses an event learns the outcome from the JobStore on its next poll.
 */
export class KafkaPageEventBus implements PageEventBus {
  private readonly consumers: KeptConsumer[] = [];
  private closed = false;

  private constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly options: KafkaPageEventBusOptions,
  ) {}

  static async open(options: KafkaPageEventBusOptions): Promise<KafkaPageEventBus> {
    const kafka = createKafka(options);
    await ensureTopics(kafka, [{ topic: options.topic, partitions: options.partitions }]);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    return new KafkaPageEventBus(kafka, producer, options);
  }

  async publish(event: PageEvent): Promise<void> {
    await this.producer.send({
      topic: this.options.topic,
      messages: [
        { key: event.job_uuid, value: JSON.stringify(event), headers: { ...this.options.outgoingHeaders?.(), job_uuid: event.job_uuid } },
      ],
    });
  }

  /** Resolves once the subscriber has joined and holds its partitions: events from then on reach it. */
  async subscribe(handler: PageEventHandler): Promise<void> {
    const sessionTimeout = this.options.sessionTimeoutMs;
    const groupId = `${this.options.groupPrefix}-${randomUUID()}`;
    let joined: Promise<void> | null = null;
    await this.startAtEnd(groupId);
    const kept = await keepConsuming({
      what: 'event consumer',
      build: () =>
        this.kafka.consumer({
          groupId,
          sessionTimeout,
          heartbeatInterval: Math.max(100, Math.floor(sessionTimeout / 3)),
          allowAutoTopicCreation: false,
          // A fetch answers as soon as an event arrives; the wait only bounds how often an idle
          // subscriber asks (and wakes the broker): it costs no latency.
          maxWaitTimeInMs: 1_000,
          retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 5, restartOnFailure: async () => !this.closed },
        }),
      start: async (consumer) => {
        // The first consumer's join is what subscribe() waits for; one built again after a crash
        // goes on from the group's offsets.
        joined ??= new Promise<void>((resolve) => {
          const off = consumer.on(consumer.events.GROUP_JOIN, () => {
            off();
            resolve();
          });
        });
        await consumer.connect();
        await consumer.subscribe({ topic: this.options.topic, fromBeginning: false });
        await consumer.run({
          eachMessage: async ({ message }) => {
            const event = parseEvent(message.value?.toString('utf8') ?? '');
            if (!event) return;
            const run = (): Promise<void> => handler(event);
            const wrap = this.options.withHeaders;
            try {
              await (wrap ? wrap(headersOf(message.headers), run) : run());
            } catch (err) {
              // A notification a handler could not use is not worth redelivering: the store has the truth.
              this.options.onError?.(err, 'page event handler failed');
            }
          },
        });
      },
      ...(this.options.onError ? { onError: this.options.onError } : {}),
    });
    this.consumers.push(kept);
    await joined;
  }

  /**
   * A new group starts at "latest" only when it first fetches, which may be after an event
   * published right after subscribe() returned: the group is given the end offsets as they are now
   * before it runs. (Seeking after run() failed while the group was still joining: "consumer group
   * was not initialized".) A partition without a leader yet and a group coordinator still loading,
   * both seen while a loaded broker starts, are retried for a while.
   */
  private async startAtEnd(groupId: string): Promise<void> {
    const { topic } = this.options;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await retryFor(
        START_RETRY_MS,
        async () => {
          const ends = await admin.fetchTopicOffsets(topic);
          await admin.setOffsets({ groupId, topic, partitions: ends.map((end) => ({ partition: end.partition, offset: end.high })) });
          return true;
        },
        {
          stepMs: 200,
          maxWaitMs: 2_000,
          retriable: (err) => (err as { retriable?: unknown }).retriable === true,
          gaveUp: () => new Error(`no start offsets for ${groupId} within ${START_RETRY_MS} ms`),
        },
      );
    } finally {
      await admin.disconnect();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.consumers.splice(0).map((c) => c.stop()));
    await this.producer.disconnect();
  }
}
