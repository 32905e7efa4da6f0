import { createReadStream, createWriteStream } from 'node:fs';
import { access, copyFile, mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '@ocr/domain';

/** The embedded BlobStore: one file per key under a root directory. */
export class LocalBlobStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    const full = resolve(join(this.root, key));
    // Keys come from our own code, but a bad key must never escape the root.
    if (!full.startsWith(this.root + sep)) throw new Error(`blob key escapes the store: ${key}`);
    return full;
  }

  private async writeAtomically(key: string, write: (tmp: string) => Promise<void>): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      await write(tmp);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  async put(key: string, data: Buffer | Readable): Promise<void> {
    await this.writeAtomically(key, async (tmp) => {
      if (Buffer.isBuffer(data)) await writeFile(tmp, data);
      else await pipeline(data, createWriteStream(tmp));
    });
  }

  async putFile(key: string, path: string): Promise<void> {
    await this.writeAtomically(key, async (tmp) => {
      try {
        await rename(path, tmp);
      } catch {
        // Different filesystem: copy, then drop the source as a move would.
        await copyFile(path, tmp);
        await unlink(path);
      }
    });
  }

  get(key: string): Promise<Buffer> {
    return readFile(this.pathOf(key));
  }

  async stream(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    await access(path);
    return createReadStream(path);
  }

  async localPath(key: string): Promise<{ path: string; release: () => Promise<void> }> {
    const path = this.pathOf(key);
    await access(path);
    return { path, release: async () => undefined };
  }

  async exists(key: string): Promise<boolean> {
    try {
      await access(this.pathOf(key));
      return true;
    } catch {
      return false;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    await rm(this.pathOf(prefix), { recursive: true, force: true });
  }
}
