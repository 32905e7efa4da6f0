import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { Connection } from 'mongoose';
import type {
  AccountStore,
  BlobStore,
  ChatStore,
  JobStore,
  LedgerEntry,
  LedgerStore,
  PageEvent,
  PageEventBus,
  PageTask,
  RevocableTokenStore,
  SessionStore,
  TaskBus,
} from '@ocr/domain';
import { jobRecord } from '../support/job-record';
import {
  FileAccountStore,
  FileSessionStore,
  InProcessTaskBus,
  JsonlLedgerStore,
  LocalBlobStore,
  NedbChatStore,
  NedbJobStore,
  RevocableFileTokenStore,
} from '@ocr/adapters-embedded';
import {
  connectMongo,
  KafkaPageEventBus,
  KafkaTaskBus,
  MongoAccountStore,
  MongoChatStore,
  MongoJobStore,
  MongoLedgerStore,
  MongoSessionStore,
  MongoTokenStore,
  S3BlobStore,
} from '@ocr/adapters-cluster';
import { startClusterServers, type ClusterServers } from '../support/cluster-servers';

/**
 * One contract per port, run against every backend: the embedded adapters (files, NeDB, an
 * in-process queue) and the cluster adapters on real servers (FerretDB for MongoDB, s3proxy for
 * S3, Kafka) that test/support/cluster-servers.ts installs and starts. Same assertions for both;
 * what only one kind can do (priorities, redelivery after a crash, presigned URLs) is a capability.
 */
interface Backend {
  name: string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** The same name gives the same stored data (a reopen). */
  jobStore(name: string): Promise<JobStore>;
  blobStore(name: string): Promise<BlobStore>;
  taskBus(group: string): Promise<TaskBus>;
  chatStore(name: string): Promise<ChatStore>;
  accountStore(name: string): Promise<AccountStore>;
  tokenStore(name: string): Promise<RevocableTokenStore>;
  sessionStore(name: string): Promise<SessionStore>;
  /** Two instances of one name read each other's appends (two processes sharing a ledger). */
  ledgerStore(name: string): Promise<LedgerStore>;
  eventBus?(): Promise<PageEventBus>;
  /** Tasks are taken lower priority first (an in-memory queue can; Kafka takes partition order). */
  ordersByPriority: boolean;
  /** Kafka env for a consumer in another process, to kill it mid-task. */
  childBusEnv?(topic: string, group: string): Record<string, string>;
  /** A task bus on its own topic, for the crash test. */
  taskBusOn?(topic: string, group: string): Promise<TaskBus>;
  /** The servers behind the adapters, to stop and start again (outage tests). */
  servers?(): ClusterServers;
}

const dir = mkdtempSync(join(tmpdir(), 'ocr-ports-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const embedded: Backend = {
  name: 'embedded',
  setup: async () => undefined,
  teardown: async () => undefined,
  jobStore: (name) => NedbJobStore.open(join(dir, 'db', name)),
  blobStore: async (name) => new LocalBlobStore(join(dir, 'blobs', name)),
  taskBus: async () => new InProcessTaskBus(),
  chatStore: (name) => NedbChatStore.open(join(dir, 'chat', name)),
  accountStore: async (name) => new FileAccountStore(join(dir, 'accounts', name)),
  tokenStore: async (name) => new RevocableFileTokenStore(join(dir, 'tokens', name)),
  sessionStore: async (name) => new FileSessionStore(join(dir, 'sessions', name)),
  ledgerStore: async (name) => new JsonlLedgerStore(join(dir, 'ledger', `${name}.jsonl`)),
  ordersByPriority: true,
};

function clusterBackend(): Backend {
  let servers: ClusterServers;
  const connections: Connection[] = [];
  const closers: Array<() => Promise<void>> = [];
  const mongo = async (name: string): Promise<Connection> => {
    const conn = await connectMongo(`${servers.mongo.uri}${name}`);
    connections.push(conn);
    return conn;
  };
  const kafka = (topic: string, group: string) => ({
    brokers: servers.kafka.brokers,
    clientId: 'ports-contract',
    topic,
    groupId: group,
    partitions: 4,
    sessionTimeoutMs: 3_000,
  });
  const bus = async (topic: string, group: string): Promise<TaskBus> => {
    const b = await KafkaTaskBus.open(kafka(topic, group));
    closers.push(() => b.close());
    return b;
  };
  return {
    name: 'cluster',
    setup: async () => {
      servers = await startClusterServers();
    },
    teardown: async () => {
      for (const close of closers.splice(0)) await close().catch(() => undefined);
      await Promise.all(connections.map((c) => c.close()));
      await servers?.stop();
    },
    jobStore: async (name) => MongoJobStore.open(await mongo(`jobs-${name}`)),
    blobStore: (name) =>
      S3BlobStore.open({
        endpoint: servers.s3.endpoint,
        region: servers.s3.region,
        accessKey: servers.s3.accessKey,
        secretKey: servers.s3.secretKey,
        bucket: `ocr-${name}`,
        scratchDir: join(dir, 's3-scratch'),
      }),
    taskBus: (group) => bus('contract-tasks', group),
    taskBusOn: bus,
    chatStore: async (name) => MongoChatStore.open(await mongo(`chat-${name}`)),
    accountStore: async (name) => MongoAccountStore.open(await mongo(`accounts-${name}`)),
    tokenStore: async (name) => MongoTokenStore.open(await mongo(`tokens-${name}`)),
    sessionStore: async (name) => MongoSessionStore.open(await mongo(`sessions-${name}`)),
    ledgerStore: async (name) => MongoLedgerStore.open(await mongo(`ledger-${name}`)),
    eventBus: async () => {
      const b = await KafkaPageEventBus.open({
        brokers: servers.kafka.brokers,
        clientId: 'ports-contract',
        topic: 'contract-events',
        partitions: 2,
        sessionTimeoutMs: 3_000,
        groupPrefix: 'contract-events',
      });
      closers.push(() => b.close());
      return b;
    },
    ordersByPriority: false,
    childBusEnv: (topic, group) => ({ KAFKA_BROKERS: servers.kafka.brokers.join(','), TOPIC: topic, GROUP: group }),
    servers: () => servers,
  };
}


const page = (jobUuid: string, index: number) => ({
  job_uuid: jobUuid,
  index,
  status: 'pending' as const,
  attempts: 0,
  error: null,
  content_key: null,
  engine_ms: null,
  finished_at: null,
});

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

function ledgerEntry(patch: Partial<LedgerEntry>): LedgerEntry {
  return {
    owner: 'acct:l',
    bucket: 'credits',
    kind: 'grant',
    credits: 1,
    pages: 0,
    tier: null,
    job_uuid: null,
    idempotency_key: null,
    note: null,
    at: new Date().toISOString(),
    ...patch,
  };
}

function until<T>(what: string, ms: number, poll: () => T | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + ms;
    const tick = (): void => {
      const value = poll();
      if (value !== undefined) return resolve(value);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

for (const backend of [embedded, clusterBackend()]) {
  describe(`port contracts: ${backend.name}`, () => {
    before(() => backend.setup(), { timeout: 600_000 });
    after(() => backend.teardown());

    describe('JobStore', () => {
      let store: JobStore;
      before(async () => {
        store = await backend.jobStore('main');
      });

      it('stores, reads, updates and deletes jobs', async () => {
        await store.insertJob(jobRecord('j1'));
        assert.equal((await store.getJob('j1'))?.status, 'pending');
        const updated = await store.updateJob('j1', { status: 'processing' });
        assert.equal(updated?.status, 'processing');
        assert.equal(updated?.owner, 'acct:a');
        assert.deepEqual(updated?.options, jobRecord('j1').options);
        assert.equal(await store.getJob('missing'), null);
        assert.equal(await store.updateJob('missing', { status: 'done' }), null);
        await store.deleteJob('j1');
        assert.equal(await store.getJob('j1'), null);
      });

      it('keeps one page per (job, index) and counts outcomes, each page once', async () => {
        await store.insertJob(jobRecord('j2', { page_count: 50 }));
        await store.putPage(page('j2', 0));
        await store.putPage({ ...page('j2', 0), status: 'done' });
        await store.putPage(page('j2', 1));
        const pages = await store.listPages('j2');
        assert.deepEqual(pages.map((p) => [p.index, p.status]), [[0, 'done'], [1, 'pending']]);
        assert.equal((await store.getPage('j2', 0))?.status, 'done');
        assert.equal(await store.getPage('j2', 7), null);
        await Promise.all(Array.from({ length: 50 }, (_, i) => store.recordPageOutcome('j2', i, i % 5 === 0 ? 'failed' : 'done')));
        const counted = await store.getJob('j2');
        assert.equal(counted?.pages_done, 40);
        assert.equal(counted?.pages_failed, 10);
        await store.deletePages('j2');
        assert.deepEqual(await store.listPages('j2'), []);
        assert.equal((await store.getJob('j2'))?.pages_done, 0, 'outcomes go with the pages');
      });

      it('records a redelivered page once: twice in turn, and 20 concurrent duplicates', async () => {
        await store.insertJob(jobRecord('redelivered', { page_count: 3 }));
        const first = await store.recordPageOutcome('redelivered', 0, 'done');
        const again = await store.recordPageOutcome('redelivered', 0, 'done');
        assert.equal(first?.pages_done, 1);
        assert.equal(again?.pages_done, 1);
        const racing = await Promise.all(Array.from({ length: 20 }, () => store.recordPageOutcome('redelivered', 1, 'done')));
        assert.ok(racing.every((j) => j !== null && j.pages_done <= 2));
        // A late 'failed' for a page already done does not change its outcome either.
        await store.recordPageOutcome('redelivered', 1, 'failed');
        const after = await store.getJob('redelivered');
        assert.deepEqual([after?.pages_done, after?.pages_failed], [2, 0]);
        const last = await store.recordPageOutcome('redelivered', 2, 'failed');
        assert.deepEqual([last?.pages_done, last?.pages_failed], [2, 1]);
        assert.equal(await store.recordPageOutcome('no-such-job', 0, 'done'), null);
        assert.equal((await store.updateJob('redelivered', { pages_done: 99, status: 'done' }))?.pages_done, 2, 'counts are derived');
      });

      it('lists unfinished jobs and finished ones by age', async () => {
        await store.insertJob(jobRecord('old', { status: 'done', finished_at: '2020-01-01T00:00:00.000Z' }));
        await store.insertJob(jobRecord('new', { status: 'failed', finished_at: '2999-01-01T00:00:00.000Z' }));
        await store.insertJob(jobRecord('run', { status: 'processing', page_count: 4 }));
        await store.recordPageOutcome('run', 3, 'done');
        const unfinished = await store.listUnfinishedJobs();
        const run = unfinished.find((j) => j.uuid === 'run');
        assert.ok(run && !unfinished.some((j) => j.uuid === 'old'));
        assert.equal(run.pages_done, 1);
        const expired = (await store.listFinishedBefore(new Date().toISOString())).map((j) => j.uuid);
        assert.deepEqual(expired, ['old']);
      });

      it('lists one owner\'s jobs newest first, a page at a time', async () => {
        const at = (minute: number) => `2026-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
        for (const [uuid, minute] of [['o1', 1], ['o2', 2], ['o3b', 3], ['o3a', 3], ['o4', 4]] as const) {
          await store.insertJob(jobRecord(uuid, { owner: 'acct:lister', created_at: at(minute) }));
        }
        await store.insertJob(jobRecord('other', { owner: 'acct:someone-else', created_at: at(5) }));
        await store.recordPageOutcome('o4', 0, 'done');
        const first = await store.listJobsByOwner('acct:lister', 3);
        assert.deepEqual(first.map((j) => j.uuid), ['o4', 'o3b', 'o3a']);
        assert.equal(first[0]?.pages_done, 1, 'listed with their counts');
        const last = first[first.length - 1]!;
        const second = await store.listJobsByOwner('acct:lister', 3, { created_at: last.created_at, uuid: last.uuid });
        assert.deepEqual(second.map((j) => j.uuid), ['o2', 'o1']);
        assert.deepEqual(await store.listJobsByOwner('acct:nobody', 3), []);
      });

      it('survives a reopen', async () => {
        const first = await backend.jobStore('reopen');
        await first.insertJob(jobRecord('persisted'));
        await first.recordPageOutcome('persisted', 0, 'done');
        await first.close();
        const second = await backend.jobStore('reopen');
        const persisted = await second.getJob('persisted');
        assert.deepEqual([persisted?.uuid, persisted?.pages_done], ['persisted', 1]);
        // Still once after the reopen.
        assert.equal((await second.recordPageOutcome('persisted', 0, 'done'))?.pages_done, 1);
      });
    });

    describe('BlobStore', () => {
      let blobs: BlobStore;
      before(async () => {
        blobs = await backend.blobStore('main');
      });

      it('puts buffers, streams and files; deletes by key and prefix', async () => {
        await blobs.put('results/a/1.json', Buffer.from('{"a":1}'));
        await blobs.put('results/a/2.json', Readable.from([Buffer.from('two')]));
        await blobs.put('results/ab/3.json', Buffer.from('sibling'));
        const file = join(dir, `upload-${backend.name}.bin`);
        writeFileSync(file, 'upload');
        await blobs.putFile('uploads/a', file);
        assert.equal((await blobs.get('results/a/1.json')).toString(), '{"a":1}');
        assert.equal((await blobs.get('results/a/2.json')).toString(), 'two');
        const chunks: Buffer[] = [];
        for await (const chunk of await blobs.stream('results/a/2.json')) chunks.push(chunk as Buffer);
        assert.equal(Buffer.concat(chunks).toString(), 'two');
        const local = await blobs.localPath('uploads/a');
        assert.equal(readFileSync(local.path, 'utf8'), 'upload');
        await local.release();
        assert.equal(await blobs.exists('uploads/a'), true);
        await blobs.delete('uploads/a');
        assert.equal(await blobs.exists('uploads/a'), false);
        await blobs.delete('uploads/a'); // deleting what is gone is fine
        await blobs.deletePrefix('results/a');
        assert.equal(await blobs.exists('results/a/1.json'), false);
        assert.equal(await blobs.exists('results/a/2.json'), false);
        assert.equal(await blobs.exists('results/ab/3.json'), true, 'a prefix is a whole path segment');
        await assert.rejects(blobs.get('missing'));
        await assert.rejects(blobs.localPath('missing'));
        await assert.rejects(blobs.put('../escape', Buffer.from('x')));
      });

      it('streams a blob larger than one upload part in and out intact', async () => {
        const big = Buffer.alloc(20 * 1024 * 1024);
        for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i, i);
        await blobs.put('uploads/big', Readable.from([big.subarray(0, 7_000_000), big.subarray(7_000_000)]));
        const back = await blobs.get('uploads/big');
        assert.equal(back.length, big.length);
        assert.ok(back.equals(big));
        await blobs.delete('uploads/big');
      });

      it('copies a blob inside the store where it can (S3), and refuses a missing one', async () => {
        if (!blobs.copy) {
          assert.equal(backend.name, 'embedded');
          return;
        }
        await blobs.put('uploads/to-copy', Buffer.from('kept source'));
        await blobs.copy('uploads/to-copy', 'sources/copied');
        assert.equal((await blobs.get('sources/copied')).toString(), 'kept source');
        assert.equal((await blobs.get('uploads/to-copy')).toString(), 'kept source');
        await assert.rejects(blobs.copy('uploads/never-there', 'sources/nothing'));
        assert.equal(await blobs.exists('sources/nothing'), false);
        await blobs.delete('uploads/to-copy');
        await blobs.delete('sources/copied');
      });

      it('gives a presigned GET URL where the store can (S3), nothing where it cannot', async () => {
        if (!blobs.presignedGetUrl) {
          assert.equal(backend.name, 'embedded');
          return;
        }
        await blobs.put('exports/x/doc.txt', Buffer.from('presigned body'));
        const url = await blobs.presignedGetUrl('exports/x/doc.txt', 60, 'report "1".txt');
        const res = await fetch(url);
        assert.equal(res.status, 200);
        assert.equal(await res.text(), 'presigned body');
        assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="report _1_.txt"/);
        const tampered = await fetch(url.replace(/X-Amz-Signature=([0-9a-f])/, (_, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`));
        assert.equal(tampered.status, 403);
        await tampered.arrayBuffer();
      });
    });

    describe('TaskBus', () => {
      it('delivers every task once, within the concurrency bound', async () => {
        const bus = await backend.taskBus('contract-every');
        const seen: string[] = [];
        let running = 0;
        let peak = 0;
        await bus.consume(async (task: PageTask) => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          seen.push(`${task.job_uuid}:${task.index}`);
          running--;
        }, 2);
        for (let i = 0; i < 8; i++) await bus.publish({ job_uuid: 'every', index: i, priority: 0 });
        await until('8 tasks', 60_000, () => (seen.length >= 8 ? true : undefined));
        await new Promise((r) => setTimeout(r, 300));
        assert.ok(peak <= 2, `peak ${peak}`);
        assert.deepEqual([...seen].sort(), Array.from({ length: 8 }, (_, i) => `every:${i}`).sort());
        await bus.close();
      });

      it('takes lower priorities first where the bus orders by priority', async () => {
        if (!backend.ordersByPriority) return;
        const bus = await backend.taskBus('contract-priority');
        const seen: string[] = [];
        const all = new Promise<void>((resolve) => {
          void bus.consume(async (task: PageTask) => {
            await new Promise((r) => setTimeout(r, 5));
            seen.push(`${task.job_uuid}:${task.index}`);
            if (seen.length === 6) resolve();
          }, 2);
        });
        // Published before any slot frees up, so priority decides the order after the first two.
        for (let i = 0; i < 3; i++) await bus.publish({ job_uuid: 'big', index: i, priority: 1 });
        for (let i = 0; i < 3; i++) await bus.publish({ job_uuid: 'small', index: i, priority: 0 });
        await all;
        const firstSmall = seen.findIndex((s) => s.startsWith('small'));
        const lastBig = seen.map((s) => s.startsWith('big')).lastIndexOf(true);
        assert.ok(firstSmall < lastBig, `small jobs jump the queue: ${seen.join(' ')}`);
        await bus.close();
      });

      it('redelivers the task of a consumer killed before it committed', { timeout: 240_000 }, async () => {
        if (!backend.childBusEnv || !backend.taskBusOn) return;
        const topic = 'contract-crash';
        const group = 'contract-crash-workers';
        const publisher = await backend.taskBusOn(topic, 'contract-crash-publisher');
        await publisher.publish({ job_uuid: 'crash', index: 7, priority: 0 });
        const child = spawn(process.execPath, [join(__dirname, '../support/kafka-task-child.js')], {
          env: { ...process.env, ...backend.childBusEnv(topic, group) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let childErr = '';
        child.stderr.on('data', (d: Buffer) => (childErr += d.toString()));
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        try {
          const took = await new Promise<string>((resolve, reject) => {
            child.once('exit', (code) => reject(new Error(`consumer child exited (${code}): ${childErr}`)));
            createInterface({ input: child.stdout }).on('line', (line) => {
              if (line.startsWith('took ')) resolve(line.slice(5));
            });
          });
          assert.equal(took, 'crash:7');
        } finally {
          child.kill('SIGKILL');
          await exited;
        }
        const second = await backend.taskBusOn(topic, group);
        const redelivered: string[] = [];
        await second.consume(async (task) => {
          redelivered.push(`${task.job_uuid}:${task.index}`);
        }, 1);
        await until('the redelivered task', 180_000, () => (redelivered.length > 0 ? true : undefined));
        assert.deepEqual(redelivered, ['crash:7']);
      });
    });

    describe('TaskBus sharing', () => {
      it('lets a consumer that joins the group later take a share of the tasks', { timeout: 240_000 }, async () => {
        if (!backend.taskBusOn) return;
        const topic = 'contract-share';
        const group = 'contract-share-workers';
        const first = await backend.taskBusOn(topic, group);
        const byFirst = new Set<string>();
        const bySecond = new Set<string>();
        const slowly = (seen: Set<string>) => async (task: PageTask) => {
          await new Promise((r) => setTimeout(r, 300));
          seen.add(`${task.job_uuid}:${task.index}`);
        };
        await first.consume(slowly(byFirst), 1);
        // One job's pages: keyed by page, they spread over the partitions both consumers can own.
        for (let i = 0; i < 60; i++) await first.publish({ job_uuid: 'shared', index: i, priority: 0 });
        await until('the first consumer to start', 60_000, () => (byFirst.size > 0 ? true : undefined));
        const second = await backend.taskBusOn(topic, group);
        await second.consume(slowly(bySecond), 1);
        await until('all 60 tasks', 200_000, () => (new Set([...byFirst, ...bySecond]).size === 60 ? true : undefined));
        assert.ok(bySecond.size > 0, `the late consumer took none (first took ${byFirst.size})`);
        assert.ok(byFirst.size < 60);
      });
    });

    describe('PageEventBus', () => {
      it('tells every subscriber about every page event', { timeout: 120_000 }, async () => {
        if (!backend.eventBus) return;
        const bus = await backend.eventBus();
        const heardA: PageEvent[] = [];
        const heardB: PageEvent[] = [];
        await bus.subscribe(async (e) => void heardA.push(e));
        await bus.subscribe(async (e) => void heardB.push(e));
        const event: PageEvent = { job_uuid: 'evt', index: 2, outcome: 'done', finished: true };
        await bus.publish(event);
        await until('both subscribers', 60_000, () => (heardA.length > 0 && heardB.length > 0 ? true : undefined));
        assert.deepEqual(heardA, [event]);
        assert.deepEqual(heardB, [event]);
      });
    });

    describe('ChatStore', () => {
      it('appends in order under one conversation id, also when two first questions race', async () => {
        const chats = await backend.chatStore('main');
        const msg = (content: string) => ({ role: 'user' as const, content, created_at: new Date().toISOString() });
        const [a, b] = await Promise.all([chats.append('c1', 'acct:a', [msg('one')]), chats.append('c1', 'acct:a', [msg('two')])]);
        assert.equal(a.conversation, b.conversation);
        await chats.append('c1', 'acct:a', [msg('three'), msg('four')]);
        const conv = await chats.get('c1');
        assert.equal(conv?.conversation, a.conversation);
        assert.equal(conv?.owner, 'acct:a');
        assert.deepEqual(conv?.messages.slice(2).map((m) => m.content), ['three', 'four']);
        assert.deepEqual(conv?.messages.slice(0, 2).map((m) => m.content).sort(), ['one', 'two']);
        await chats.delete('c1');
        assert.equal(await chats.get('c1'), null);
        assert.equal(await chats.get('never'), null);
      });
    });

    describe('AccountStore', () => {
      it('stores accounts, one per email even when sign-ups race', async () => {
        const accounts = await backend.accountStore('main');
        const base = { password_hash: null, plan: 'free' as const, created_at: new Date().toISOString() };
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => accounts.insertAccount({ ...base, id: `racer${i}`, email: 'same@example.org' })),
        );
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        for (const r of results) if (r.status === 'rejected') assert.equal((r.reason as { code?: string }).code, 'email_taken');
        const winner = await accounts.findByEmail('same@example.org');
        assert.ok(winner);
        await accounts.insertAccount({ ...base, id: 'op1', email: null, plan: 'operator' });
        await accounts.insertAccount({ ...base, id: 'op2', email: null, plan: 'operator' });
        await assert.rejects(accounts.insertAccount({ ...base, id: 'op1', email: null }), { code: 'email_taken' });
        assert.equal((await accounts.updateAccount('op1', { plan: 'paid' }))?.plan, 'paid');
        assert.equal(await accounts.updateAccount('nobody', { plan: 'paid' }), null);
        assert.deepEqual((await accounts.listAccounts()).map((a) => a.id).sort(), [winner.id, 'op1', 'op2'].sort());
        await accounts.deleteAccount(winner.id);
        assert.equal(await accounts.findByEmail('same@example.org'), null);
        assert.equal(await accounts.getAccount(winner.id), null);
        // The email is free again.
        await accounts.insertAccount({ ...base, id: 'later', email: 'same@example.org' });
        assert.equal((await accounts.findByEmail('same@example.org'))?.id, 'later');
      });
    });

    describe('RevocableTokenStore and SessionStore', () => {
      it('finds, lists, revokes and deletes tokens by account', async () => {
        const tokens = await backend.tokenStore('main');
        const token = (name: string, account: string) => ({
          hash: sha(name),
          prefix: name.slice(0, 4),
          name,
          account_id: account,
          created_at: new Date().toISOString(),
          revoked_at: null,
        });
        await tokens.insertToken(token('laptop', 'acct-1'));
        await tokens.insertToken(token('ci', 'acct-1'));
        await tokens.insertToken(token('other', 'acct-2'));
        assert.equal((await tokens.findByHash(sha('laptop')))?.name, 'laptop');
        assert.equal(await tokens.findByHash(sha('nope')), null);
        assert.deepEqual((await tokens.listByAccount('acct-1')).map((t) => t.name).sort(), ['ci', 'laptop']);
        await tokens.revoke(sha('ci'), '2026-01-01T00:00:00.000Z');
        await tokens.revoke(sha('ci'), '2027-01-01T00:00:00.000Z');
        assert.equal((await tokens.findByHash(sha('ci')))?.revoked_at, '2026-01-01T00:00:00.000Z');
        await tokens.deleteByAccount('acct-1');
        assert.deepEqual(await tokens.listByAccount('acct-1'), []);
        assert.equal((await tokens.listByAccount('acct-2')).length, 1);
      });

      it('finds and deletes sessions, one by one and by account', async () => {
        const sessions = await backend.sessionStore('main');
        const session = (v: string, account: string) => ({ hash: sha(v), account_id: account, expires_at: '2999-01-01T00:00:00.000Z' });
        await sessions.insertSession(session('s1', 'acct-1'));
        await sessions.insertSession(session('s2', 'acct-1'));
        await sessions.insertSession(session('s3', 'acct-2'));
        assert.equal((await sessions.findSession(sha('s1')))?.account_id, 'acct-1');
        await sessions.deleteSession(sha('s1'));
        assert.equal(await sessions.findSession(sha('s1')), null);
        await sessions.deleteByAccount('acct-1');
        assert.equal(await sessions.findSession(sha('s2')), null);
        assert.equal((await sessions.findSession(sha('s3')))?.account_id, 'acct-2');
      });
    });

    describe('LedgerStore', () => {
      it('reads every append once, across instances, and a replayed keyed append not at all', async () => {
        const writer = await backend.ledgerStore('main');
        const reader = await backend.ledgerStore('main');
        await writer.append([ledgerEntry({ note: 'grant' })]);
        const settle = [
          ledgerEntry({ kind: 'release', credits: 4, job_uuid: 'lj', key: 'release:lj' }),
          ledgerEntry({ kind: 'charge', credits: -1, job_uuid: 'lj', key: 'charge:lj' }),
        ];
        await writer.append(settle);
        await writer.append(settle); // a replay
        await Promise.all(Array.from({ length: 20 }, () => reader.append(settle))); // racing replays
        const read = await reader.readNew();
        assert.deepEqual(read.map((e) => e.kind), ['grant', 'release', 'charge']);
        assert.equal(read[1]?.key, 'release:lj');
        assert.equal(read[0]?.key, undefined);
        assert.deepEqual(await reader.readNew(), [], 'nothing new');
        await writer.append([ledgerEntry({ note: 'second grant', credits: 5 })]);
        assert.deepEqual((await reader.readNew()).map((e) => e.credits), [5]);
        assert.equal((await writer.readNew()).length, 4, 'the writer reads its own appends too');
        await writer.close();
        await reader.close();
      });

      it('loses nothing when reads overlap (a submit reads the allowance while another reserves)', async () => {
        const store = await backend.ledgerStore('overlap');
        for (let round = 0; round < 5; round++) {
          await store.append([ledgerEntry({ note: `a${round}`, credits: 1 })]);
          const overlapping = await Promise.all([store.readNew(), store.readNew(), store.readNew()]);
          assert.equal(overlapping.flat().length, 1, 'each entry is handed to exactly one of the overlapping reads');
        }
        await store.append([ledgerEntry({ note: 'after', credits: 7 })]);
        assert.deepEqual((await store.readNew()).map((e) => e.credits), [7], 'an append after overlapping reads is still read');
        await store.close();
      });
    });

    describe('outages', () => {
      // Last in the suite: these stop the servers. A request must fail within seconds while a
      // server is down (the edge then answers 503), and the same adapter must work once it is back.
      const failsFast = async (what: string, call: () => Promise<unknown>): Promise<void> => {
        const started = Date.now();
        await assert.rejects(call(), `${what} should fail while its server is down`);
        assert.ok(Date.now() - started < 30_000, `${what} took ${Date.now() - started} ms to fail`);
      };
      const recovers = async (call: () => Promise<unknown>): Promise<void> => {
        const deadline = Date.now() + 90_000;
        for (;;) {
          try {
            await call();
            return;
          } catch (err) {
            if (Date.now() > deadline) throw err;
            await new Promise((r) => setTimeout(r, 500));
          }
        }
      };

      it('MongoDB, S3 and Kafka down: calls fail fast; back up: the same adapters work again', { timeout: 400_000 }, async () => {
        if (!backend.servers) return;
        const servers = backend.servers();
        const store = await backend.jobStore('outage');
        const blobs = await backend.blobStore('outage');
        const bus = await backend.taskBus('contract-outage');
        await store.insertJob(jobRecord('outage'));
        await blobs.put('results/outage/1.json', Buffer.from('1'));
        await bus.publish({ job_uuid: 'outage', index: 0, priority: 0 });

        await Promise.all([servers.mongo.process.stop(), servers.s3.process.stop(), servers.kafka.process.stop()]);
        await failsFast('a MongoDB read', () => store.getJob('outage'));
        await failsFast('an S3 read', () => blobs.get('results/outage/1.json'));
        await failsFast('a Kafka publish', () => bus.publish({ job_uuid: 'outage', index: 1, priority: 0 }));

        await Promise.all([servers.mongo.process.start(), servers.s3.process.start(), servers.kafka.process.start()]);
        await recovers(async () => assert.equal((await store.getJob('outage'))?.uuid, 'outage'));
        await recovers(async () => assert.equal((await blobs.get('results/outage/1.json')).toString(), '1'));
        await recovers(() => bus.publish({ job_uuid: 'outage', index: 2, priority: 0 }));
      });
    });
  });
}
