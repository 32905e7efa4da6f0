import { execFile } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Script models read without their word list. Latin's carries an 89 MB list of all its languages'
 * words (lstm-word-dawg): a process reading with it held 279 MiB (30 MiB without) and started
 * 0.35 s slower, and a worker pod keeps such processes warm. `auto` reads it for a band's letters
 * and for the few languages whose own models read far worse (Basque, Breton, Luxembourgish):
 * without the list it read 36 rendered pages of 9 languages with the same franc rankings and CER
 * within 0.5 points, its confidences 3-5 points lower.
 */
const LEAN_MODELS = ['Latin'];
/** The component a lean model leaves out (combine_tessdata's file suffix). */
const WORD_LIST = 'lstm-word-dawg';
const COMBINE_TIMEOUT_MS = 60_000;

/**
 * A tessdata directory for the native engine under `cacheDir`: every model of `tessdataDir` linked,
 * LEAN_MODELS rebuilt without their word list (with `combine_tessdata`, installed with Tesseract).
 * The same model names as `tessdataDir`, so languages and script models are listed from it as
 * before. Falls back to `tessdataDir` itself where the directory cannot be made.
 */
export async function leanTessdata(tessdataDir: string, cacheDir: string, combineBin = 'combine_tessdata'): Promise<string> {
  const dir = join(cacheDir, 'tessdata-lean');
  try {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(tessdataDir)) {
      if (!LEAN_MODELS.some((m) => name === `${m}.traineddata`)) link(join(tessdataDir, name), join(dir, name));
    }
    for (const model of LEAN_MODELS) {
      const source = join(tessdataDir, `${model}.traineddata`);
      if (!existsSync(source)) continue;
      // Without combine_tessdata the model is read whole: heavier, the same readings.
      await leanModel(source, dir, model, combineBin).catch(() => {
        if (!existsSync(join(dir, `${model}.traineddata`))) symlinkSync(source, join(dir, `${model}.traineddata`));
      });
    }
    return dir;
  } catch {
    return tessdataDir;
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
async function leanModel(source: string, dir: string, model: string, combineBin: string): Promise<void> {
  const { size, mtimeMs } = statSync(source);
  const stamp = `${source} ${size} ${mtimeMs}`;
  const stampPath = join(dir, `${model}.lean`);
  const target = join(dir, `${model}.traineddata`);
  if (existsSync(target) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) return;
  const work = mkdtempSync(join(dir, `.${model}-`));
  try {
    const prefix = join(work, `${model}.`);
    await run(combineBin, ['-u', source, prefix], { timeout: COMBINE_TIMEOUT_MS });
    const list = `${prefix}${WORD_LIST}`;
    if (existsSync(list)) unlinkSync(list);
    await run(combineBin, [prefix], { timeout: COMBINE_TIMEOUT_MS });
    // Renamed into place whole: another process starting beside this one reads the old file or the new.
    renameSync(`${prefix}traineddata`, target);
    writeFileSync(stampPath, stamp);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
