import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';

/** Work areas whose files belong to a running request or page only: nothing in them outlives the process that wrote it. */
export const WORK_AREAS = ['incoming', 'scratch'] as const;

/**
 * Removes what a crash left in the work areas: partial uploads in incoming/ and page rasters in
 * scratch/. Only entries older than this process are touched (they cannot belong to a live job:
 * jobs keep their files in the blob store, and an unfinished job re-rasterises its pages on resume).
 */
export async function sweepLeftovers(dataDir: string, log: Logger, startedAt = Date.now() - process.uptime() * 1000): Promise<number> {
  let removed = 0;
  let bytes = 0;
  for (const area of WORK_AREAS) {
    const dir = join(dataDir, area);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(dir, name);
      const info = await stat(path).catch(() => null);
      if (!info || info.mtimeMs >= startedAt) continue;
      bytes += info.isFile() ? info.size : 0;
      await rm(path, { recursive: true, force: true });
      removed += 1;
    }
  }
  if (removed > 0) log.info({ removed, bytes }, 'removed crash leftovers from incoming/ and scratch/');
  return removed;
}
