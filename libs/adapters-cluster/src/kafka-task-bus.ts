import { Partitioners, type Admin, type Consumer, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import type { PageTask, PageTaskHandler, TaskBus } from '@ocr/domain';
import { createKafka, ensureTopics, headersOf, keepConsuming, type KafkaConnection, type KeptConsumer, type MessageHeaders } from './kafka';
import { PageSlots } from './page-slots';
import { PartitionBalancer } from './partition-balancer';

export interface KafkaTaskBusOptions extends KafkaConnection {
  /** `ocr.page-tasks` (KAFKA_TOPIC_PAGE_TASKS). */
  topic: string;
  /** Created with this many partitions when missing: the most workers of one kind that can share work. */
  partitions: number;
  /** The consumer group: one per worker kind (`ocr-cpu-ocr`, `ocr-vlm-ocr`), so each kind gets every task once. */
  groupId: string;
  /** How soon a worker that died (kill -9) loses its partitions, so its uncommitted page is redelivered. */
  sessionTimeoutMs: number;
  /**
   * The consumer group whose idle members get new tasks (see PartitionBalancer); unset: a task's
   * partition comes from its key.
   */
  balanceGroupId?: string;
  /** Headers to send with a task (the caller's request context); none by default. */
  outgoingHeaders?: () => MessageHeaders;
  /** Runs a handler inside the context the task's headers carry (request id, job uuid). */
  withHeaders?: (headers: MessageHeaders, run: () => Promise<void>) => Promise<void>;
  /**
   * How long a task waits for one of its worker's engines before it is handed to an idle worker of
   * the group (HANDOFF_AFTER_MS by default). Only a worker whose balance group is its own group
   * hands tasks off: it reads that group's load.
   */
  handoffAfterMs?: number;
  /** Told of each task handed off, and the partition it went to. */
  onHandoff?: (task: PageTask, partition: number) => void;
}

/** How long a publish waits for the worker group's load before it lets the key decide. */
const BALANCE_TIMEOUT_MS = 1_000;
/**
 * A task that has waited this long for its worker's engines goes to an idle worker, if the group
 * has one: Kafka gives each partition to one member, so the tasks on a busy worker's partitions
 * waited behind its pages while another worker had nothing to read, until a rebalance.
 */
const HANDOFF_AFTER_MS = 1_000;
/**
 * The header a handed-off task carries: the consumer group it was handed within. Every worker kind's
 * group reads the topic, and the copy is for the group that handed it: the others skip it (each
 * has read the task once already), so that no vlm page is read twice because a cpu worker was busy.
 */
const HANDED_WITHIN = 'handed_within_group';

/** Whether a task is a copy another consumer group handed to one of its own members. */
function handedWithinOther(message: KafkaMessage, groupId: string): boolean {
  const group = headersOf(message.headers)[HANDED_WITHIN];
  return group !== undefined && group !== groupId;
}

/** How often a task waiting for an engine looks for a free one again (and heartbeats). */
const SLOT_CHECK_MS = 250;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
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
  private consumer: KeptConsumer | null = null;
  /** Once closed, a consumer that crashed (a broker gone) must not schedule another restart. */
  private closed = false;
  private admin: Admin | null = null;
  private balancer: PartitionBalancer | null = null;
  /** The admin connection being opened, which concurrent callers share. */
  private opening: Promise<PartitionBalancer> | null = null;
  /** Publishes one at a time, so each one's choice sees the task sent before it. */
  private sending: Promise<void> = Promise.resolve();

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

  publish(task: PageTask): Promise<void> {
    const next = this.sending.then(() => this.send(task));
    this.sending = next.catch(() => undefined);
    return next;
  }

  private async send(task: PageTask): Promise<void> {
    const partition = await this.choosePartition();
    await this.producer.send({
      topic: this.options.topic,
      messages: [
        {
          key: `${task.job_uuid}:${task.index}`,
          value: JSON.stringify(task),
          headers: { ...this.options.outgoingHeaders?.(), job_uuid: task.job_uuid },
          ...(partition === null ? {} : { partition }),
        },
      ],
    });
    if (partition !== null) this.balancer?.sent(partition);
  }

  /**
   * Reads the worker group's load ahead of the publishes that follow (ingest calls it while it
   * writes the job), so that choosing their partitions does not add the admin round trips to the
   * request. A failure here is only a missed head start: the publish reads again or lets the key decide.
   */
  async prepare(): Promise<void> {
    try {
      const balancer = await this.openBalancer();
      if (balancer) await withTimeout(balancer.refresh(), BALANCE_TIMEOUT_MS);
    } catch {
      /* the publish tries again */
    }
  }

  private async openBalancer(): Promise<PartitionBalancer | null> {
    const groupId = this.options.balanceGroupId;
    if (!groupId || this.closed) return null;
    if (this.balancer) return this.balancer;
    this.opening ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
      this.balancer = new PartitionBalancer(admin, this.options.topic, groupId);
      return this.balancer;
    })().finally(() => {
      this.opening = null;
    });
    return this.opening;
  }

  /** An idle worker's partition, or null (no balancing, no worker yet, or the broker would not say): the key decides. */
  private async choosePartition(): Promise<number | null> {
    try {
      const balancer = await this.openBalancer();
      // A broker that is slow to say must not hold the publish: the key's partition is as good as any.
      return balancer ? await withTimeout(balancer.choose(), BALANCE_TIMEOUT_MS) : null;
    } catch (err) {
      this.options.onError?.(err, 'task partition left to the key (the worker group could not be read)');
      return null;
    }
  }

  async consume(handler: PageTaskHandler, concurrency: number): Promise<void> {
    if (this.consumer) throw new Error('this task bus already has a consumer');
    this.consumer = await keepConsuming({
      what: 'task consumer',
      build: () => this.buildConsumer(),
      start: (consumer) => this.run(consumer, handler, concurrency),
      ...(this.options.onError ? { onError: this.options.onError } : {}),
    });
  }

  private buildConsumer(): Consumer {
    const sessionTimeout = this.options.sessionTimeoutMs;
    return this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout,
      heartbeatInterval: this.heartbeatInterval,
      // A member busy with a page rejoins once the page is done; pages can take minutes.
      rebalanceTimeout: Math.max(60_000, sessionTimeout),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: 1_000,
      // A worker outlives broker outages: whatever made the consumer crash, it rejoins and goes on
      // (until the bus is closed).
      retry: { initialRetryTime: 200, maxRetryTime: 5_000, retries: 5, restartOnFailure: async () => !this.closed },
    });
  }

  private get heartbeatInterval(): number {
    return Math.max(100, Math.floor(this.options.sessionTimeoutMs / 3));
  }

  private async run(consumer: Consumer, handler: PageTaskHandler, concurrency: number): Promise<void> {
    const heartbeatInterval = this.heartbeatInterval;
    const checkEvery = Math.min(SLOT_CHECK_MS, heartbeatInterval);
    const handoffAfter = this.options.handoffAfterMs ?? HANDOFF_AFTER_MS;
    // Every partition the worker holds is consumed at once, and its tasks take the worker's engines
    // in turn: a task waiting for one is in hand, and can be handed to an idle worker.
    const slots = new PageSlots(concurrency);
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.max(1, concurrency, this.options.partitions),
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        const leaving = () => !isRunning() || isStale();
        /** This batch's tasks sent to an idle worker: committed here when reached, not read. */
        const handed = new Set<string>();
        /** Messages committed without being read: handed off here, or copies another group handed within itself. */
        const skipped = (m: KafkaMessage) => handed.has(m.offset) || handedWithinOther(m, this.options.groupId);
        /** A handoff of a task further on, under way: the loop waits for it before it takes that task. */
        let handingAhead: Promise<void> | null = null;
        /**
         * While a page is read, the next task behind it in this partition that is not handed yet goes
         * to an idle worker once the page has taken `handoffAfter`: it waits at least as long.
         */
        const handAhead = (index: number): void => {
          if (handingAhead) return;
          for (const next of batch.messages.slice(index + 1)) {
            const task = skipped(next) ? null : parseTask(next);
            if (!task) continue;
            handingAhead = this.handOff(next, task)
              .then((sent) => void (sent && handed.add(next.offset)))
              .finally(() => {
                handingAhead = null;
              });
            return;
          }
        };
        for (const [index, message] of batch.messages.entries()) {
          await handingAhead;
          // Stop at a rebalance or shutdown: the rest of the batch is not ours to take any more.
          if (leaving()) break;
          // A member rejoins a rebalancing group only once every batch of its last fetch is handled
          // (kafkajs waits for them all), and a fetch holds a page from each partition with work: a
          // worker started beside a busy one waited, not even ready, until the busy one had read
          // its whole backlog (24 s, 8 pages). The heartbeat throws while the group rebalances, so
          // the batches still queued end at once, uncommitted, and go to whoever owns them next.
          await heartbeat();
          const task = skipped(message) ? null : parseTask(message);
          if (task) {
            const turn = await this.awaitEngine(slots, message, task, { heartbeat, leaving, checkEvery, handoffAfter });
            if (turn === 'left') break;
            if (turn === 'read') {
              // kafkajs only heartbeats between messages: keep the session alive through a long page.
              const beat = setInterval(() => void heartbeat().catch(() => undefined), heartbeatInterval);
              const ahead = setInterval(() => handAhead(index), handoffAfter);
              try {
                if (leaving()) break;
                const run = async (): Promise<void> => void (await handler(task));
                const wrap = this.options.withHeaders;
                await (wrap ? wrap(headersOf(message.headers), run) : run());
              } finally {
                clearInterval(beat);
                clearInterval(ahead);
                slots.release();
              }
            }
          } else if (!skipped(message)) {
            this.options.onError?.(new Error(`unreadable page task at offset ${message.offset}`), 'task skipped');
          }
          resolveOffset(message.offset);
          await consumer.commitOffsets([
            { topic: batch.topic, partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() },
          ]);
        }
        await handingAhead;
      },
    });
  }

  /**
   * Waits for one of the worker's engines for a task: 'read' once it has one (the caller releases
   * it), 'handed' once the task went to an idle worker instead, 'left' at a rebalance or shutdown.
   * The group's load is read at most once per `handoffAfter` (three admin requests a read).
   */
  private async awaitEngine(
    slots: PageSlots,
    message: KafkaMessage,
    task: PageTask,
    wait: { heartbeat: () => Promise<void>; leaving: () => boolean; checkEvery: number; handoffAfter: number },
  ): Promise<'read' | 'handed' | 'left'> {
    let triedAt = Date.now();
    while (!(await slots.take(wait.checkEvery))) {
      if (wait.leaving()) return 'left';
      await wait.heartbeat();
      if (Date.now() - triedAt < wait.handoffAfter) continue;
      triedAt = Date.now();
      if (await this.handOff(message, task)) return 'handed';
    }
    return 'read';
  }

  /**
   * Sends a task waiting here to an idle worker's partition (the same message), true once sent: the
   * caller then commits it here. A worker that dies in between leaves it on both, and the job
   * service's exactly-once effect makes the second reading a no-op. False where the group has no
   * idle member, or its load could not be read: the task waits.
   */
  private async handOff(message: KafkaMessage, task: PageTask): Promise<boolean> {
    if (this.options.balanceGroupId !== this.options.groupId) return false;
    try {
      const balancer = await this.openBalancer();
      const partition = balancer ? await withTimeout(balancer.chooseHandoff(), BALANCE_TIMEOUT_MS) : null;
      if (partition === null || !balancer) return false;
      await this.producer.send({
        topic: this.options.topic,
        messages: [{ key: message.key, value: message.value, headers: { ...message.headers, [HANDED_WITHIN]: this.options.groupId }, partition }],
      });
      balancer.sent(partition);
      this.options.onHandoff?.(task, partition);
      return true;
    } catch (err) {
      this.options.onError?.(err, 'waiting task kept (the worker group could not be read)');
      return false;
    }
  }

  /** Stops taking tasks: the page in hand finishes and is committed, the rest stay for other workers. */
  async close(): Promise<void> {
    this.closed = true;
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.stop();
    await this.sending;
    await this.admin?.disconnect();
    this.admin = null;
    this.balancer = null;
    await this.producer.disconnect();
  }
}
