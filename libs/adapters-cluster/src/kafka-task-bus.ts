import { Partitioners, type Consumer, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { PageTask, PageTaskHandler, TaskBus } from '@ocr/domain';
import { createKafka, ensureTopics, headersOf, type KafkaConnection, type MessageHeaders } from './kafka';

export interface KafkaTaskBusOptions extends KafkaConnection {
  /** `ocr.page-tasks` (KAFKA_TOPIC_PAGE_TASKS). */
  topic: string;
  /** Created with this many partitions when missing: the most workers of one kind that can share work. */
  partitions: number;
  /** The consumer group: one per worker kind (`ocr-cpu-ocr`, `ocr-vlm-ocr`), so each kind gets every task once. */
  groupId: string;
  /** How soon a worker that died (kill -9) loses its partitions, so its uncommitted page is redelivered. */
  sessionTimeoutMs: number;
  /** Headers to send with a task (the caller's request context); none by default. */
  outgoingHeaders?: () => MessageHeaders;
  /** Runs a handler inside the context the task's headers carry (request id, job uuid). */
  withHeaders?: (headers: MessageHeaders, run: () => Promise<void>) => Promise<void>;
}

function parseTask(message: KafkaMessage): PageTask | null {
  try {
    const value = JSON.parse(message.value?.toString('utf8') ?? '') as Partial<PageTask>;
    if (typeof value.job_uuid !== 'string' || !Number.isInteger(value.index)) return null;
    return { job_uuid: value.job_uuid, index: value.index as number, priority: Number(value.priority ?? 0) };
  } catch {
    return null;
  }
}

/**
 * The cluster TaskBus on Kafka: one message per page on `ocr.page-tasks`, keyed `<job>:<page>`
 * (the job uuid also in a `job_uuid` header). A job-uuid key would pin all of a job's pages to one
 * partition, so a second worker could never help with a large job; page keys spread them.
 *
 * At least once: a worker commits a task's offset only after its handler finished, so the page of
 * a worker that dies mid-page is delivered again (to the partition's next owner, after the session
 * timeout). The handler (JobService) makes the effect exactly once. Kafka has no priorities: the
 * `priority` field travels but tasks are taken in partition order.
 */
export class KafkaTaskBus implements TaskBus {
  private consumer: Consumer | null = null;

  private constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly options: KafkaTaskBusOptions,
  ) {}

  static async open(options: KafkaTaskBusOptions): Promise<KafkaTaskBus> {
    const kafka = createKafka(options);
    await ensureTopics(kafka, [{ topic: options.topic, partitions: options.partitions }]);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    await producer.connect();
    return new KafkaTaskBus(kafka, producer, options);
  }

  async publish(task: PageTask): Promise<void> {
    await this.producer.send({
      topic: this.options.topic,
      messages: [
        {
          key: `${task.job_uuid}:${task.index}`,
          value: JSON.stringify(task),
          headers: { ...this.options.outgoingHeaders?.(), job_uuid: task.job_uuid },
        },
      ],
    });
  }

  async consume(handler: PageTaskHandler, concurrency: number): Promise<void> {
    if (this.consumer) throw new Error('this task bus already has a consumer');
    const sessionTimeout = this.options.sessionTimeoutMs;
    const heartbeatInterval = Math.max(100, Math.floor(sessionTimeout / 3));
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout,
      heartbeatInterval,
      // A member busy with a page rejoins once the page is done; pages can take minutes.
      rebalanceTimeout: Math.max(60_000, sessionTimeout),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 1_000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => this.options.onError?.(event.payload.error, 'task consumer crashed'));
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, concurrency),
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        for (const message of batch.messages) {
          // Stop at a rebalance or shutdown: the rest of the batch is not ours to take any more.
          if (!isRunning() || isStale()) break;
          const task = parseTask(message);
          if (task) {
            // kafkajs only heartbeats between messages: keep the session alive through a long page.
            const beat = setInterval(() => void heartbeat().catch(() => undefined), heartbeatInterval);
            try {
              const run = (): Promise<void> => handler(task);
              const wrap = this.options.withHeaders;
              await (wrap ? wrap(headersOf(message.headers), run) : run());
            } finally {
              clearInterval(beat);
            }
          } else {
            this.options.onError?.(new Error(`unreadable page task at offset ${message.offset}`), 'task skipped');
          }
          resolveOffset(message.offset);
          await consumer.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() },
          ]);
          await heartbeat();
        }
      },
    });
  }

  /** Stops taking tasks: the page in hand finishes and is committed, the rest stay for other workers. */
  async close(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.disconnect();
    await this.producer.disconnect();
  }
}
