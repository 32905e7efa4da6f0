import { readFile, rename, writeFile } from 'node:fs/promises';

/** File names of the hashed stores: a hex SHA-256, so a name can never leave its directory. */
export const HASH_PATTERN = /^[0-9a-f]{64}$/;

/** Writes a small JSON file so readers see the old or the new content, never half of one. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
  await rename(tmp, path);
}

export async function readJson<T>(path: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

export function isMissing(err: unknown): boolean {
  return (err as { code?: unknown }).code === 'ENOENT';
}
