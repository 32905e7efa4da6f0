import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LedgerEntry, LedgerStore } from '@ocr/domain';

/**
 * The embedded LedgerStore: one append-only JSON-lines file. Each append is a single O_APPEND
 * write, so the service and the operator CLI can both append without losing or interleaving
 * entries; each reader keeps its own byte offset and reads only what is new. Both handles stay
 * open (the file is never replaced), so a request costs a stat and a read, not an open.
 */
export class JsonlLedgerStore implements LedgerStore {
  private offset = 0;
  /** A line being written by another process when we read: kept until its newline arrives. */
  private partial: Buffer = Buffer.alloc(0);
  private writer: Promise<FileHandle> | null = null;
  private reader: FileHandle | null = null;
  /** Lines that were not JSON (a write torn by a crash): skipped, counted here. */
  corruptLines = 0;
  /** Keys read so far: a keyed entry appended twice (a replay, or two processes racing) is read once. */
  private readonly keys = new Set<string>();

  constructor(private readonly path: string) {}

  private openWriter(): Promise<FileHandle> {
    return (this.writer ??= (async () => {
      await mkdir(dirname(this.path), { recursive: true });
      const handle = await open(this.path, 'a+', 0o600);
      // A crash mid-write can leave a last line without its newline: end it, so only that line is lost.
      const { size } = await handle.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) await handle.write('\n');
      }
      return handle;
    })());
  }

  async append(entries: LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const handle = await this.openWriter();
    await handle.write(Buffer.from(entries.map((e) => JSON.stringify(e) + '\n').join(''), 'utf8'));
  }

  private reading: Promise<unknown> = Promise.resolve();

  /**
   * One read at a time: two reads at once would both start at the same offset, both advance it
   * (past the end of the file), and the entries appended next would never be read.
   */
  readNew(): Promise<LedgerEntry[]> {
    const next = this.reading.then(() => this.readNewNow());
    this.reading = next.catch(() => undefined);
    return next;
  }

  private async readNewNow(): Promise<LedgerEntry[]> {
    if (!this.reader) {
      try {
        this.reader = await open(this.path, 'r');
      } catch {
        return []; // nothing written yet
      }
    }
    const { size } = await this.reader.stat();
    if (size <= this.offset) return [];
    const buffer = Buffer.alloc(size - this.offset);
    const { bytesRead } = await this.reader.read(buffer, 0, buffer.length, this.offset);
    this.offset += bytesRead;
    // Split on the last newline as bytes, so a character cut by the read is never decoded half.
    const bytes = Buffer.concat([this.partial, buffer.subarray(0, bytesRead)]);
    const end = bytes.lastIndexOf(0x0a) + 1;
    this.partial = bytes.subarray(end);
    const lines = bytes.subarray(0, end).toString('utf8').split('\n');
    const entries: LedgerEntry[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      let entry: LedgerEntry;
      try {
        entry = JSON.parse(line) as LedgerEntry;
      } catch {
        this.corruptLines++;
        continue;
      }
      if (typeof entry.key === 'string') {
        if (this.keys.has(entry.key)) continue;
        this.keys.add(entry.key);
      }
      entries.push(entry);
    }
    return entries;
  }

  async close(): Promise<void> {
    const writer = this.writer;
    this.writer = null;
    await (await writer)?.close();
    await this.reader?.close();
    this.reader = null;
  }
}
