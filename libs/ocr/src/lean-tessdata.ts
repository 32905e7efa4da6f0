import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Script models read without their word list. Latin's carries an 89 MB list of all its languages'
 * words (lstm-word-dawg): a process reading with it held 279 MiB (30 MiB without) and started
 * 0.35 s slower, and a worker pod keeps such processes warm. `auto` reads it for a band's letters
 * and for the few languages whose own models read far worse (Basque, Breton, Luxembourgish):
 * without the list it read 36 rendered pages of 9 languages with the same franc rankings and CER
 * within 0.5 points, its confidences 3-5 points lower.
 */
const LEAN_MODELS = ['Latin'];
/**
 * The component a lean model leaves out: its index in a traineddata file's table of contents
 * (Tesseract's TESSDATA_LSTM_SYSTEM_DAWG).
 */
const WORD_LIST_ENTRY = 19;
/** Bytes copied at a time: the model is copied in pieces (combine_tessdata held all 89 MB, 275 MiB). */
const COPY_CHUNK = 1 << 20;
/**
 * A copy in progress older than this was left by a process killed while copying (a copy takes about
 * 50 ms): it is removed. By age, not by process id: the directory may be shared by hosts.
 */
const STALE_COPY_MS = 10 * 60_000;

/**
 * A tessdata directory for the native engine under `cacheDir`: every model of `tessdataDir` linked,
 * LEAN_MODELS copied without their word list.
 * The same model names as `tessdataDir`, so languages and script models are listed from it as
 * before. Falls back to `tessdataDir` itself where the directory cannot be made.
 */
export async function leanTessdata(tessdataDir: string, cacheDir: string): Promise<string> {
  const dir = join(cacheDir, 'tessdata-lean');
  try {
    mkdirSync(dir, { recursive: true });
    removeStaleCopies(dir);
    for (const name of readdirSync(tessdataDir)) {
      if (!LEAN_MODELS.some((m) => name === `${m}.traineddata`)) link(join(tessdataDir, name), join(dir, name));
    }
    for (const model of LEAN_MODELS) {
      const source = join(tessdataDir, `${model}.traineddata`);
      if (!existsSync(source)) continue;
      // A file this cannot read as a traineddata is linked whole: heavier, the same readings.
      await leanModel(source, dir, model).catch(() => {
        if (!existsSync(join(dir, `${model}.traineddata`))) symlinkSync(source, join(dir, `${model}.traineddata`));
      });
    }
    return dir;
  } catch {
    return tessdataDir;
  }
}

function removeStaleCopies(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!/\.\d+\.tmp$/.test(name)) continue;
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > STALE_COPY_MS) rmSync(path, { force: true });
  }
}

/** Links `path` to `target`, replacing a link to another directory's file (TESSDATA_DIR changed). */
function link(target: string, path: string): void {
  // lstat, not exists: a link whose file is gone is still there to replace.
  const current = lstatSync(path, { throwIfNoEntry: false });
  if (current && (!current.isSymbolicLink() || readlinkSync(path) === target)) return;
  if (current) unlinkSync(path);
  symlinkSync(target, path);
}

/** Writes `model` without its word list into `dir`, once per version of the source file. */
async function leanModel(source: string, dir: string, model: string): Promise<void> {
  const { size, mtimeMs } = statSync(source);
  const stamp = `${source} ${size} ${mtimeMs}`;
  const stampPath = join(dir, `${model}.lean`);
  const target = join(dir, `${model}.traineddata`);
  if (existsSync(target) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) return;
  const work = `${target}.${process.pid}.tmp`;
  try {
    await withoutComponent(source, work, WORD_LIST_ENTRY);
    // Renamed into place whole: another process starting beside this one reads the old file or the new.
    renameSync(work, target);
    writeFileSync(stampPath, stamp);
  } finally {
    rmSync(work, { force: true });
  }
}

/**
 * Copies a traineddata file without one component. The file is an int32 count of entries, an int64
 * offset for each (-1: absent), then the components in that order (tessdatamanager.cpp); the copy
 * marks the entry absent and moves the later offsets back by its size.
 */
async function withoutComponent(source: string, target: string, entry: number): Promise<void> {
  const input = await open(source, 'r');
  const output = await open(target, 'w');
  try {
    const fileSize = (await input.stat()).size;
    const count = (await readAt(input, 0, 4)).readInt32LE(0);
    const headerSize = 4 + 8 * count;
    if (count <= entry || count > 64 || headerSize > fileSize) throw new Error(`${source}: not a traineddata file`);
    const header = await readAt(input, 0, headerSize);
    const offsets = Array.from({ length: count }, (_, i) => Number(header.readBigInt64LE(4 + 8 * i)));
    const pieces = offsets.map((offset, i) => {
      const next = offsets.slice(i + 1).find((o) => o >= 0) ?? fileSize;
      return { offset, size: offset < 0 ? 0 : next - offset };
    });
    if (pieces.some((p) => p.offset >= 0 && (p.offset < headerSize || p.size < 0 || p.offset + p.size > fileSize))) throw new Error(`${source}: its table of contents does not fit the file`);
    const out = Buffer.from(header);
    let at = headerSize;
    pieces.forEach((piece, i) => {
      const kept = piece.offset >= 0 && i !== entry;
      out.writeBigInt64LE(kept ? BigInt(at) : -1n, 4 + 8 * i);
      if (kept) at += piece.size;
    });
    await output.write(out, 0, headerSize, 0);
    let written = headerSize;
    for (const [i, piece] of pieces.entries()) {
      if (piece.offset < 0 || i === entry) continue;
      for (let done = 0; done < piece.size; done += COPY_CHUNK) {
        const chunk = await readAt(input, piece.offset + done, Math.min(COPY_CHUNK, piece.size - done));
        await output.write(chunk, 0, chunk.length, written);
        written += chunk.length;
      }
    }
  } finally {
    await input.close();
    await output.close();
  }
}

async function readAt(file: Awaited<ReturnType<typeof open>>, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  if (bytesRead !== length) throw new Error('the file ended early');
  return buffer;
}
