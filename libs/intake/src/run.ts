import { execFile } from 'node:child_process';
import { DocumentError } from '@ocr/domain';

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs a poppler tool with an argument array (no shell) and a hard time limit. */
export function run(bin: string, args: readonly string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error(`${bin} is not installed (poppler-utils): run scripts/install-system.sh`));
          return;
        }
        if (err && err.killed) {
          reject(new DocumentError(`${bin} took longer than ${Math.round(timeoutMs / 1000)} s on this document`));
          return;
        }
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ stdout, stderr, code });
      },
    );
  });
}
