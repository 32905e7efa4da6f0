// `make cluster` as an operator runs it: in the foreground, `make token` works while it runs (through
// auth-billing), a one-page image comes back finished through the gateway, and SIGTERM stops exactly
// the processes it started.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { corpusPath } from '../support/corpus';
import { submit } from '../support/http';
import { freePort } from '../support/cluster-servers';

const REPO = resolve(__dirname, '../../..');

/** Every process below `pid` (children, grandchildren ...). */
function descendants(pid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const all: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      all.push(c);
      walk(c);
    }
  };
  walk(pid);
  return all;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('make cluster', () => {
  let child: ChildProcess;
  let dataDir: string;
  let baseUrl: string;
  const output: string[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ocr-make-cluster-'));
    const port = await freePort();
    child = spawn(process.execPath, [join(REPO, 'scripts/cluster/run-cluster.mjs')], {
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, CPU_OCR_PROCESSES: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    baseUrl = await new Promise<string>((ready, reject) => {
      const timer = setTimeout(() => reject(new Error(`make cluster did not start:\n${output.join('')}`)), 300_000);
      // The start timer must go too: left running, it kept a failed test's process alive 5 minutes.
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`make cluster exited ${code}:\n${output.join('')}`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        output.push(`${line}\n`);
        const m = /^cluster ready: (http:\/\/\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          ready(m[1]!);
        }
      });
    });
  });

  after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      for (const pid of descendants(child.pid!)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves a token from make token and a finished one-page job, then stops exactly what it started', async () => {
    const token = execFileSync('make', ['-s', 'token'], { cwd: REPO, env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' }).trim().split('\n').pop()!;
    assert.match(token, /^ocr_[A-Za-z0-9_-]{20,}$/);
    const res = await submit(baseUrl, { file: corpusPath('printed/tess_phototest.tif'), token });
    assert.equal(res.status, 200);
    const job = (await res.json()) as { status: string; text: string };
    assert.equal(job.status, 'done');
    assert.match(job.text, /quick brown dog/);

    const started = descendants(child.pid!);
    assert.ok(started.length >= 9, `only ${started.length} processes: servers and seven kinds of service expected`);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    const left = started.filter(alive);
    assert.deepEqual(left, [], `still running after SIGTERM: ${left.join(', ')}`);
  });
});
