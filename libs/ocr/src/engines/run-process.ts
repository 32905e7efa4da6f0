import { spawn } from 'node:child_process';
import { DocumentError } from '@ocr/domain';

export interface ProcessResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** The error of an engine call over its time (the same words from every engine). */
export function timeoutError(what: string, timeoutMs: number): DocumentError {
  return new DocumentError(`${what} timed out after ${Math.round(timeoutMs / 1000)} s`);
}

/** Runs a binary with an argument array (no shell), killing it when the time is up. */
export function runProcess(
  bin: string,
  args: readonly string[],
  opts: { timeoutMs: number; env?: NodeJS.ProcessEnv; what: string },
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(timeoutError(opts.what, opts.timeoutMs));
        return;
      }
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code });
    });
  });
}
