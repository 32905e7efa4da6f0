// The Kafka adapters on a real broker. Page tasks go to an idle worker: the choice itself
// (choosePartition), and two workers of one group that each hold a page get the next two tasks one
// each, never both on one, also when the group's load is read ahead (prepare); tasks waiting on a
// busy worker's partitions go to a worker that has become idle (handoffPartition, PageSlots), and
// another worker kind's group skips the copies. Services starting
// together all ensure the same new topics at once. A consumer kafkajs would not restart after a
// crash is built again, and takes the task it failed on and the next ones.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, KafkaJSNonRetriableError, logLevel, type Admin } from 'kafkajs';
import type { PageTask } from '@ocr/domain';
import { choosePartition, createKafka, ensureTopics, handoffPartition, KafkaTaskBus, PageSlots } from '@ocr/adapters-cluster';
import { startKafka, type KafkaServer } from '../support/cluster-servers';

function until<T>(what: string, ms: number, poll: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = async (): Promise<void> => {
      const value = await poll();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(() => void tick(), 100);
    };
    void tick();
  });
}

describe('choosePartition', () => {
  it('picks the least loaded member, its lightest partition, and takes turns on ties', () => {
    const members = [
      [0, 2],
      [1, 3],
    ];
    // Member 0 has a page in progress, member 1 none: member 1, whichever turn it is.
    for (const turn of [0, 1, 2, 3]) {
      const p = choosePartition({ members, backlog: new Map([[2, 1]]) }, turn);
      assert.ok(p === 1 || p === 3, `turn ${turn}: ${p}`);
    }
    // Within member 1, the partition without backlog.
    assert.equal(choosePartition({ members, backlog: new Map([[0, 2], [1, 1]]) }, 0), 3);
    // Equal loads: turns alternate between the members.
    const picks = [0, 1, 2, 3].map((turn) => choosePartition({ members, backlog: new Map() }, turn));
    assert.deepEqual(picks.map((p) => (p === null ? null : p % 2)), [0, 1, 0, 1]);
  });

  it("fills a lone worker's partitions in order, so a worker joining later takes over half the waiting tasks", () => {
    const all = [...Array(12).keys()];
    const backlog = new Map<number, number>();
    const picks: number[] = [];
    for (let turn = 0; turn < 8; turn++) {
      const p = choosePartition({ members: [all], backlog }, turn);
      assert.ok(p !== null);
      picks.push(p);
      backlog.set(p, (backlog.get(p) ?? 0) + 1);
    }
    assert.deepEqual(picks, [0, 1, 2, 3, 4, 5, 6, 7]);
    // kafkajs's round-robin assignor deals the partitions to the two members in turn.
    const joined = all.filter((p) => p % 2 === 1);
    assert.equal(picks.filter((p) => joined.includes(p)).length, 4);
  });

  it('leaves the choice to the key when no member holds a partition', () => {
    assert.equal(choosePartition({ members: [], backlog: new Map() }, 0), null);
    assert.equal(choosePartition({ members: [[], []], backlog: new Map([[0, 3]]) }, 1), null);
  });
});

describe('handing waiting tasks to an idle worker', () => {
  it('picks a partition of a member with nothing uncommitted, never of the member the task waits on', () => {
    const members = [
      [0, 2],
      [1, 3],
      [4, 5],
    ];
    // Member 0 holds a page and has one waiting; member 1 is idle; member 2 has a page in hand.
    const backlog = new Map([
      [0, 2],
      [4, 1],
    ]);
    for (const turn of [0, 1, 2]) assert.ok([1, 3].includes(handoffPartition({ members, backlog }, turn) as number));
    // Every member has work: the task waits where it is.
    assert.equal(handoffPartition({ members, backlog: new Map([...backlog, [3, 1]]) }, 0), null);
    assert.equal(handoffPartition({ members: [], backlog }, 0), null);
  });

  it('gives a worker\'s engines to its partitions in turn, and lets a wait be given up', async () => {
    const slots = new PageSlots(1);
    assert.equal(await slots.take(10), true);
    // Taken: a second partition waits, and gives up after its time.
    assert.equal(await slots.take(20), false);
    const waiting = slots.take(1_000);
    slots.release();
    assert.equal(await waiting, true);
    slots.release();
    assert.equal(await slots.take(10), true);
  });
});

describe('Kafka adapters on a broker', { timeout: 300_000 }, () => {
  let kafka: KafkaServer;
  const closers: Array<() => Promise<void>> = [];
  /** Pages the workers hold; let go before closing (a consumer closes after its page). */
  const gates: Array<() => void> = [];
  before(async () => {
    kafka = await startKafka();
  });
  after(async () => {
    for (const release of gates.splice(0)) release();
    for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    await kafka?.stop();
  });

  const options = (clientId: string, group: string, balance?: string) => ({
    brokers: kafka.brokers,
    clientId,
    topic: 'balance-tasks',
    partitions: 6,
    groupId: group,
    sessionTimeoutMs: 3_000,
    ...(balance ? { balanceGroupId: balance } : {}),
  });

  /** Waits until `groupId` has committed `count` offsets on `topic`, over all its partitions. */
  const committedAll = (admin: Admin, groupId: string, topic: string, count: number, what: string) =>
    until(what, 60_000, async () => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (offsets?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0) === count ? true : undefined;
    });

  /** Workers a and b of `group`, one engine each; the group's admin, once both hold partitions. */
  const startTwoWorkers = async (group: string, open: (name: string) => Promise<KafkaTaskBus>, worker: (name: string) => (task: PageTask) => Promise<void>): Promise<Admin> => {
    for (const name of ['a', 'b']) {
      const bus = await open(name);
      closers.push(() => bus.close());
      await bus.consume(worker(name), 1);
    }
    const admin = new Kafka({ clientId: `${group}-test`, brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    closers.push(() => admin.disconnect());
    await until('both workers to hold partitions', 120_000, async () => {
      const { groups } = await admin.describeGroups([group]);
      const g = groups[0];
      return g?.state === 'Stable' && g.members.length === 2 && g.members.every((m) => m.memberAssignment.length > 0) ? true : undefined;
    });
    return admin;
  };

  it('sends each new task to a worker without a page in hand', async () => {
    const group = 'balance-workers';
    const takenBy = new Map<string, string>();
    const worker = (name: string) => async (task: PageTask) => {
      takenBy.set(`${task.job_uuid}:${task.index}`, name);
      // Holds the page (uncommitted) until the test lets go.
      await new Promise<void>((release) => gates.push(release));
    };
    const admin = await startTwoWorkers(group, (name) => KafkaTaskBus.open(options(`worker-${name}`, group)), worker);
    const publisher = await KafkaTaskBus.open(options('publisher', 'balance-publisher', group));
    closers.push(() => publisher.close());

    // Three rounds of two single-page jobs: each pair must land on both workers, not on one.
    for (let round = 0; round < 3; round++) {
      const keys = [`job-${round}-x:0`, `job-${round}-y:0`];
      const publish = (key: string) => publisher.publish({ job_uuid: key.split(':')[0] as string, index: 0, priority: 0 });
      if (round < 2) {
        for (const key of keys) await publish(key);
      } else {
        // As ingest does: the group's load read ahead (prepare) while other publishes go out.
        await Promise.all([publisher.prepare(), publish(keys[0] as string), publisher.prepare(), publish(keys[1] as string)]);
      }
      await until(`round ${round} taken`, 60_000, () => (keys.every((k) => takenBy.has(k)) ? true : undefined));
      assert.deepEqual(new Set(keys.map((k) => takenBy.get(k))), new Set(['a', 'b']), `round ${round}: ${keys.map((k) => takenBy.get(k)).join(', ')}`);
      for (const release of gates.splice(0)) release();
      // Both pages committed (and the publisher's view of them older than its refresh) before the next round.
      const published = (round + 1) * 2;
      await committedAll(admin, group, 'balance-tasks', published, `round ${round} committed`);
      await new Promise((r) => setTimeout(r, 300));
    }
  });

  it("hands the tasks a busy worker fetched and cannot read yet to a worker that became idle, before the busy one is free", async () => {
    const group = 'handoff-workers';
    const takenBy = new Map<string, string[]>();
    const handedOff: string[] = [];
    const worker = (name: string) => async (task: PageTask) => {
      const key = `${task.job_uuid}:${task.index}`;
      takenBy.set(key, [...(takenBy.get(key) ?? []), name]);
      // a holds every page it reads until the test lets go (a slow page); b reads at once.
      if (name === 'a') await new Promise<void>((release) => gates.push(release));
    };
    const open = (name: string) =>
      KafkaTaskBus.open({
        ...options(`handoff-${name}`, group, group),
        topic: 'handoff-tasks',
        handoffAfterMs: 500,
        onHandoff: (task) => handedOff.push(`${task.job_uuid}:${task.index}`),
      });
    const admin = await startTwoWorkers(group, open, worker);
    // Another worker kind's group reads the same topic (as vlm-ocr beside cpu-ocr): every task once,
    // not the copies handed within the first group.
    const otherKind = new Map<string, number>();
    const other = await KafkaTaskBus.open({ ...options('handoff-other-kind', 'handoff-other-kind'), topic: 'handoff-tasks' });
    closers.push(() => other.close());
    await other.consume(async (task) => void otherKind.set(`${task.job_uuid}:${task.index}`, (otherKind.get(`${task.job_uuid}:${task.index}`) ?? 0) + 1), 1);
    // A document's pages at once, two on each partition (as a burst spreads over every worker's).
    const producer = new Kafka({ clientId: 'handoff-producer', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    closers.push(() => producer.disconnect());
    const keys = Array.from({ length: 12 }, (_, index) => `burst:${index}`);
    await producer.send({
      topic: 'handoff-tasks',
      messages: keys.map((key, index) => ({ key, value: JSON.stringify({ job_uuid: 'burst', index, priority: 0 }), partition: index % 6 })),
    });
    // a reads one page and holds it; the tasks it fetched with it wait for its one engine, and go to
    // b once b has read its own: b reads every page but a's.
    await until('every page but one read by b', 60_000, () => (keys.filter((k) => takenBy.get(k)?.includes('b')).length === 11 ? true : undefined));
    const onA = keys.filter((k) => takenBy.get(k)?.includes('a'));
    assert.equal(onA.length, 1, `a read ${onA.join(', ')}`);
    assert.equal(handedOff.length, 5, `handed off: ${handedOff.join(', ')}`);
    assert.ok(handedOff.every((k) => takenBy.get(k)?.join() === 'b'), 'each handed-off page read by b alone');
    // a lets go: its page is committed, and nothing is read twice.
    for (const release of gates.splice(0)) release();
    await committedAll(admin, group, 'handoff-tasks', 12 + 5, 'every page committed');
    assert.ok(keys.every((k) => takenBy.get(k)?.length === 1), JSON.stringify([...takenBy]));
    await committedAll(admin, 'handoff-other-kind', 'handoff-tasks', 12 + 5, 'the other kind past every copy');
    assert.deepEqual([...otherKind.values()], keys.map(() => 1), JSON.stringify([...otherKind]));
  });

  it('publishes by key when the balance group has no member', async () => {
    const publisher = await KafkaTaskBus.open(options('lonely-publisher', 'lonely-publisher', 'no-such-workers'));
    closers.push(() => publisher.close());
    const got: string[] = [];
    const reader = await KafkaTaskBus.open(options('lonely-reader', 'lonely-reader'));
    closers.push(() => reader.close());
    await reader.consume(async (task) => void got.push(`${task.job_uuid}:${task.index}`), 1);
    await publisher.publish({ job_uuid: 'lonely', index: 3, priority: 0 });
    await until('the task', 120_000, () => (got.includes('lonely:3') ? true : undefined));
  });

  it('takes tasks again after its consumer crashed for good: the failed task comes back, the next ones are taken', async () => {
    // kafkajs restarts a crashed consumer only when the error is one it retries; after any other
    // (a group coordinator not found while the broker restarts, or one a handler's own publish
    // threw), the consumer stayed stopped and the worker lived on taking nothing.
    const seen: string[] = [];
    let failures = 1;
    const reader = await KafkaTaskBus.open({ ...options('failing-reader', 'failing-reader'), topic: 'failing-tasks', partitions: 1 });
    closers.push(() => reader.close());
    await reader.consume(async (task) => {
      seen.push(`${task.job_uuid}:${task.index}`);
      if (failures-- > 0) throw new KafkaJSNonRetriableError('a publish the handler made failed for good');
    }, 1);
    const publisher = await KafkaTaskBus.open({ ...options('failing-publisher', 'failing-publisher'), topic: 'failing-tasks', partitions: 1 });
    closers.push(() => publisher.close());
    await publisher.publish({ job_uuid: 'first', index: 0, priority: 0 });
    await until('the failed task', 60_000, () => (seen.includes('first:0') ? true : undefined));
    await publisher.publish({ job_uuid: 'second', index: 0, priority: 0 });
    await until('the next task', 60_000, () => (seen.includes('second:0') ? true : undefined));
    // At least once: the task whose handler failed was not committed, and is handled again.
    assert.deepEqual(seen, ['first:0', 'first:0', 'second:0']);
  });

  it('starts every process when several create the same topics at once', async () => {
    const topics = [
      { topic: 'race-tasks', partitions: 12 },
      { topic: 'race-events', partitions: 12 },
    ];
    // Eight clients (as the services and workers of a cluster starting together), one moment.
    const clients = Array.from({ length: 8 }, (_, i) => createKafka({ brokers: kafka.brokers, clientId: `racer-${i}` }));
    const results = await Promise.allSettled(clients.map((k) => ensureTopics(k, topics)));
    assert.deepEqual(
      results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
      [],
    );
    const admin = clients[0]?.admin();
    assert.ok(admin);
    await admin.connect();
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: ['race-tasks', 'race-events'] });
      for (const t of meta) {
        assert.equal(t.partitions.length, 12, t.name);
        assert.ok(t.partitions.every((p) => p.leader >= 0), `${t.name} has a leader for every partition`);
      }
    } finally {
      await admin.disconnect();
    }
    // And a bus opened in the same race publishes and consumes at once.
    const [busA, busB] = await Promise.all(
      ['race-a', 'race-b'].map((name) => KafkaTaskBus.open({ ...options(name, 'race-group'), topic: 'race-new-tasks', partitions: 4 })),
    );
    assert.ok(busA && busB);
    closers.push(() => busA.close(), () => busB.close());
    const got: string[] = [];
    await busB.consume(async (task) => void got.push(`${task.job_uuid}:${task.index}`), 1);
    await busA.publish({ job_uuid: 'race', index: 1, priority: 0 });
    await until('the raced topic to carry a task', 120_000, () => (got.includes('race:1') ? true : undefined));
  });
});
