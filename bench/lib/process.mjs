// Child processes for the benchmarks: a command's output, a worker pool, the standalone service, CPU time.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const REPO = resolve(new URL('.', import.meta.url).pathname, '../..');

/** Resolves with the command's stdout; rejects on a non-zero exit. */
export function run(bin, args, env = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', () => undefined);
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolvePromise(Buffer.concat(out).toString('utf8')) : reject(new Error(`${bin} exited ${code}`))));
  });
}

/** Runs fn over items with at most `size` at a time; results in item order. */
export async function pool(items, size, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

/**
 * Starts apps/standalone on a free port with its data in dataDir; resolves once it is ready. It is
 * started through `node -e` so that a `pkill -f standalone/dist/main.js` elsewhere on a shared
 * machine cannot stop a benchmark midway.
 */
export async function startService(dataDir, extraEnv = {}) {
  const child = spawn(process.execPath, ['-e', 'require(process.env.BENCH_STANDALONE_MAIN)'], {
    env: { ...process.env, BENCH_STANDALONE_MAIN: join(REPO, 'apps/standalone/dist/main.js'), PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolvePort, reject) => {
    child.once('exit', (code) => reject(new Error(`service exited ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'standalone ready') resolvePort(entry.port);
      } catch {
        /* other output */
      }
    });
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Stops a service startService began, once it has exited. */
export async function stopService(service) {
  service.child.kill('SIGTERM');
  await new Promise((r) => service.child.once('exit', r));
}

/** POSTs a file with form fields and polls until the job finishes; the finished job (throws unless done). */
export async function post(base, file, fields) {
  const form = new FormData();
  form.append('file', new Blob([readFileSync(file)]), basename(file));
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  let job = await (await fetch(`${base}/api/v1/ocr/`, { method: 'POST', body: form })).json();
  while (job.status === 'pending' || job.status === 'processing') {
    await new Promise((r) => setTimeout(r, 100));
    job = await (await fetch(`${base}/api/v1/ocr/${job.uuid}/`)).json();
  }
  if (job.status !== 'done') throw new Error(`${file}: ${JSON.stringify(job).slice(0, 300)}`);
  return job;
}

/** USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux. */
const TICKS_PER_S = 100;

/**
 * CPU seconds (user and system) of a process itself, and of its children it has waited for (their
 * time moves into its own count when they are reaped); null once the process has gone.
 */
export function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
    return { own: (utime + stime) / TICKS_PER_S, children: (cutime + cstime) / TICKS_PER_S };
  } catch {
    return null;
  }
}
