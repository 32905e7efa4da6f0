import { appendFile, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LedgerEntry, LedgerStore } from '@ocr/domain';

/**
 * The embedded LedgerStore: one append-only JSON-lines file. Each append is a single O_APPEND
 * write, so the service and the operator CLI can both append without losing or interleaving
 * entries; each reader keeps its own byte offset and reads only what is new.
 */
export class JsonlLedgerStore implements LedgerStore {
  private offset = 0;
  /** A line being written by another process when we read: kept until its newline arrives. */
  private partial: Buffer = Buffer.alloc(0);
  private ready: Promise<void> | null = null;

  constructor(private readonly path: string) {}

  private ensureDir(): Promise<void> {
    return (this.ready ??= mkdir(dirname(this.path), { recursive: true }).then(() => undefined));
  }

  async append(entries: LedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.ensureDir();
    await appendFile(this.path, entries.map((e) => JSON.stringify(e) + '\n').join(''), { mode: 0o600 });
  }

  async readNew(): Promise<LedgerEntry[]> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch {
      return [];
    }
    try {
      const { size } = await handle.stat();
      if (size <= this.offset) return [];
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      // Split on the last newline as bytes, so a character cut by the read is never decoded half.
      const bytes = Buffer.concat([this.partial, buffer.subarray(0, bytesRead)]);
      const end = bytes.lastIndexOf(0x0a) + 1;
      this.partial = bytes.subarray(end);
      const lines = bytes.subarray(0, end).toString('utf8').split('\n');
      return lines.filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LedgerEntry);
    } finally {
      await handle.close();
    }
  }
}
