import type { BlobStore } from '@ocr/domain';

type LocalCopy = { path: string; release: () => Promise<void> };

interface Entry {
  copy: Promise<LocalCopy>;
  holders: number;
  linger: NodeJS.Timeout | null;
}

/**
 * Local copies of blobs that never change under their key (a job's source), shared by the pages
 * that read them. In the cluster each page of a 500-page PDF would otherwise download the whole
 * PDF again; here the pages a worker reads together, or one after the other within `lingerMs`,
 * share one download. The copy is removed once nobody has held it for `lingerMs`.
 */
export class SharedLocalCopies {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly lingerMs = 30_000,
  ) {}

  async localPath(key: string): Promise<LocalCopy> {
    let entry = this.entries.get(key);
    if (!entry) {
      const copy = this.blobs.localPath(key);
      entry = { copy, holders: 0, linger: null };
      const created = entry;
      this.entries.set(key, created);
      // A failed download is not kept: the next page tries again.
      copy.catch(() => {
        if (this.entries.get(key) === created) this.entries.delete(key);
      });
    }
    if (entry.linger) clearTimeout(entry.linger);
    entry.linger = null;
    entry.holders++;
    const held = entry;
    let copy: LocalCopy;
    try {
      copy = await held.copy;
    } catch (err) {
      held.holders--;
      throw err;
    }
    let released = false;
    return {
      path: copy.path,
      release: async () => {
        if (released) return;
        released = true;
        held.holders--;
        if (held.holders > 0) return;
        held.linger = setTimeout(() => void this.drop(key, held), this.lingerMs);
        held.linger.unref();
      },
    };
  }

  /** Removes every copy nobody holds now (a process stopping). */
  async clear(): Promise<void> {
    await Promise.all([...this.entries].filter(([, e]) => e.holders === 0).map(([key, e]) => this.drop(key, e)));
  }

  private async drop(key: string, entry: Entry): Promise<void> {
    if (entry.holders > 0 || this.entries.get(key) !== entry) return;
    if (entry.linger) clearTimeout(entry.linger);
    this.entries.delete(key);
    await (await entry.copy.catch(() => null))?.release().catch(() => undefined);
  }
}
