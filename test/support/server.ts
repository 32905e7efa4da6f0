import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startCluster } from './cluster';

const REPO = resolve(__dirname, '../../..');
export const STANDALONE_MAIN = join(REPO, 'apps/standalone/dist/main.js');
export const MAKE_TOKEN = join(REPO, 'apps/standalone/dist/cli/make-token.js');

export interface TestServer {
  baseUrl: string;
  dataDir: string;
  child: ChildProcess;
  logs: string[];
  /** SIGKILL, as a crash would. */
  kill: () => Promise<void>;
  stop: () => Promise<void>;
  /** A new token (the last line of `make token`), for the operator's account or `account`. */
  makeToken: (name?: string, account?: string) => string;
}

/**
 * Which shape the e2e suite runs against: `standalone` (default) or `cluster` (E2E_TARGET=cluster:
 * the real servers and the seven services, the suite talking to the gateway).
 */
export function e2eTarget(): 'standalone' | 'cluster' {
  return process.env['E2E_TARGET'] === 'cluster' ? 'cluster' : 'standalone';
}

/** The cluster behind the same handle; a test's settings go to every service. */
async function startClusterServer(env: Record<string, string>): Promise<TestServer> {
  // One OCR worker per cpu-ocr process, as `make cluster` runs them.
  const { OCR_WORKERS: _workers, ...rest } = env;
  const cluster = await startCluster({ env: rest });
  return {
    baseUrl: cluster.baseUrl,
    dataDir: cluster.gateway.dataDir,
    child: cluster.gateway.childProcess!,
    logs: cluster.gateway.logs,
    kill: () => cluster.gateway.kill(),
    stop: () => cluster.stop(),
    makeToken: (name, account) => cluster.makeToken(name, account),
  };
}

/** Starts the real standalone service (a separate process) and waits for its ready line. */
export async function startServer(env: Record<string, string> = {}, dataDir?: string): Promise<TestServer> {
  if (e2eTarget() === 'cluster' && !dataDir) return startClusterServer(env);
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'ocr-e2e-'));
  const child = spawn(process.execPath, [STANDALONE_MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  child.stderr?.on('data', (d: Buffer) => logs.push(d.toString()));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join('')}`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${logs.join('')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'standalone ready' && typeof entry.port === 'number') {
          clearTimeout(timer);
          resolvePort(entry.port);
        }
      } catch {
        /* not a log line */
      }
    });
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir: dir,
    child,
    logs,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
    makeToken: (name = 'e2e', account?: string) => {
      const args = account ? [MAKE_TOKEN, name, account] : [MAKE_TOKEN, name];
      const out = execFileSync(process.execPath, args, { env: { ...process.env, DATA_DIR: dir } }).toString();
      return out.trim().split('\n').pop() ?? '';
    },
  };
}
