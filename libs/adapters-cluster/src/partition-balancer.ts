import { AssignerProtocol, type Admin } from 'kafkajs';

/** What the balancer knows of the worker group: each member's partitions, and each partition's backlog. */
export interface GroupLoad {
  /** Each live member's partitions of the topic (members without any are left out). */
  members: number[][];
  /** Messages published to the partition and not yet committed by the group (in progress or waiting). */
  backlog: Map<number, number>;
}

/**
 * The partition for the next task: one of the least loaded member's, the member's load being the
 * backlog of all its partitions (the page it is reading counts until it commits it). Ties between
 * members go round robin (`turn`), so equal members take turns; within the member, its lightest
 * partition with the lowest number. A backlog then fills a lone member's partitions in order, and
 * kafkajs's round-robin assignor deals partitions to members in that order: a worker that joins
 * later takes over every other partition, so half the waiting pages. Picked by turn instead, the
 * pages of two documents had landed on 6 odd partitions of 8 and a worker that joined got the
 * even ones, with next to nothing on them.
 * Null when no member holds a partition (no worker, or the group is rebalancing): the caller falls
 * back to the key's partition.
 */
export function choosePartition(load: GroupLoad, turn: number): number | null {
  const members = load.members.filter((m) => m.length > 0);
  if (members.length === 0) return null;
  const backlogOf = (p: number): number => load.backlog.get(p) ?? 0;
  const loads = members.map((m) => m.reduce((n, p) => n + backlogOf(p), 0));
  const least = Math.min(...loads);
  const idle = members.filter((_, i) => loads[i] === least);
  const member = idle[turn % idle.length] as number[];
  const lightest = Math.min(...member.map(backlogOf));
  return Math.min(...member.filter((p) => backlogOf(p) === lightest));
}

/**
 * The partition to hand a waiting task to: one of a member's with nothing published to it that it
 * has not committed (no page in hand, none waiting), picked as choosePartition picks. The member
 * the task waits on is never one: its own partition holds the task. Null when every member has
 * work: the task waits where it is.
 */
export function handoffPartition(load: GroupLoad, turn: number): number | null {
  const idle = load.members.filter((m) => m.length > 0 && m.every((p) => (load.backlog.get(p) ?? 0) === 0));
  return choosePartition({ members: idle, backlog: load.backlog }, turn);
}

/**
 * Picks the partition of each page task so that an idle worker gets it. Kafka hands every
 * partition to one member of the group, so a task keyed to a busy worker's partition waits behind
 * its page while another worker has nothing to do: with two documents in flight and two workers,
 * half the pairs landed on the same worker (measured: the two workers' OCR time split 31 s / 25 s
 * on the same 27 pages). The group's assignment and committed offsets are read from the broker
 * (three small admin requests, at most every `maxAgeMs`); tasks sent since are counted here.
 */
export class PartitionBalancer {
  private load: GroupLoad | null = null;
  private readAt = 0;
  private turn = 0;
  private reading: Promise<GroupLoad> | null = null;
  private sentDuringRead: number[] | null = null;

  constructor(
    private readonly admin: Admin,
    private readonly topic: string,
    private readonly groupId: string,
    private readonly maxAgeMs = 100,
  ) {}

  /** The partition for the next task, or null to let the key decide. */
  async choose(): Promise<number | null> {
    return choosePartition(await this.fresh(), this.turn++);
  }

  /** Reads the group's load now unless it was read moments ago, so that a choice soon after need not wait. */
  async refresh(): Promise<void> {
    await this.fresh();
  }

  /** An idle member's partition for a task waiting on a busy one (handoffPartition), or null. */
  async chooseHandoff(): Promise<number | null> {
    return handoffPartition(await this.fresh(), this.turn++);
  }

  private async fresh(): Promise<GroupLoad> {
    if (this.load && Date.now() - this.readAt <= this.maxAgeMs) return this.load;
    if (!this.reading) {
      // A task sent while the read is out may be missing from what the broker answers: it counts on
      // top (at worst twice for a moment, which only steers the next task elsewhere).
      const sentMeanwhile: number[] = [];
      this.sentDuringRead = sentMeanwhile;
      // Callers at the same moment share one read.
      this.reading = this.read()
        .then((load) => {
          for (const p of sentMeanwhile) load.backlog.set(p, (load.backlog.get(p) ?? 0) + 1);
          this.load = load;
          this.readAt = Date.now();
          return load;
        })
        .finally(() => {
          this.reading = null;
          this.sentDuringRead = null;
        });
    }
    return this.reading;
  }

  /** A task was sent to `partition`: it counts as backlog until the next read shows its commit. */
  sent(partition: number): void {
    this.load?.backlog.set(partition, (this.load.backlog.get(partition) ?? 0) + 1);
    this.sentDuringRead?.push(partition);
  }

  private async read(): Promise<GroupLoad> {
    const [groups, committed, ends] = await Promise.all([
      this.admin.describeGroups([this.groupId]),
      this.admin.fetchOffsets({ groupId: this.groupId, topics: [this.topic] }),
      this.admin.fetchTopicOffsets(this.topic),
    ]);
    const group = groups.groups.find((g) => g.groupId === this.groupId);
    const members = group?.state === 'Stable' ? group.members.map((m) => this.partitionsOf(m.memberAssignment)) : [];
    const done = new Map<number, number>();
    for (const t of committed) if (t.topic === this.topic) for (const p of t.partitions) done.set(p.partition, Number(p.offset));
    const backlog = new Map<number, number>();
    for (const end of ends) {
      const from = done.get(end.partition) ?? -1;
      // A partition the group never committed is read from its start (fromBeginning).
      backlog.set(end.partition, Math.max(0, Number(end.high) - (from >= 0 ? from : Number(end.low))));
    }
    return { members, backlog };
  }

  private partitionsOf(assignment: Buffer): number[] {
    if (assignment.length === 0) return [];
    const decoded = AssignerProtocol.MemberAssignment.decode(assignment);
    return decoded?.assignment[this.topic] ?? [];
  }
}
