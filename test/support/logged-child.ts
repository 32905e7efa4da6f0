// One child process of the test setup (a server or a service) that logs to a file and is stopped
// by its handle only, never found by name; an exit hook SIGKILLs whatever a crashed test left.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export class LoggedChild {
  private child: ChildProcess | undefined;
  private exitedPromise: Promise<void> = Promise.resolve();

  /** `stopGraceMs`: how long a SIGTERM may take before SIGKILL. */
  constructor(private readonly stopGraceMs: number) {}

  get childProcess(): ChildProcess | undefined {
    return this.child;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves when the current process has exited (at once when none runs). */
  get exited(): Promise<void> {
    return this.exitedPromise;
  }

  /**
   * Starts the process with stdout and stderr appended to `logPath`: never a pipe this process
   * must drain, since a test that blocks its event loop (execFileSync of a client example) would
   * otherwise let the pipe fill and stall the child mid-request.
   */
  spawn(command: string, args: string[], options: { cwd?: string; env: NodeJS.ProcessEnv }, logPath: string): ChildProcess {
    const fd = openSync(logPath, 'a');
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    this.child = child;
    live.add(child);
    this.exitedPromise = new Promise<void>((resolve) =>
      child.once('exit', () => {
        live.delete(child);
        resolve();
      }),
    );
    return child;
  }

  /** SIGTERM (graceful: current work finishes or is handed back), SIGKILL after the grace period. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.isRunning) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), this.stopGraceMs);
    await this.exitedPromise;
    clearTimeout(timer);
  }

  /** SIGKILL, as a crash would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.isRunning) return;
    child.kill('SIGKILL');
    await this.exitedPromise;
  }
}
