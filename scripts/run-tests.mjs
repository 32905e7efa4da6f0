#!/usr/bin/env node
// Runs every compiled test file with node's test runner, one file at a time: the OCR tests
// are CPU-bound and the machine has two cores, so files in parallel would only slow each other.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

function find(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) find(path, out);
    else if (/\.test\.(js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

const filter = process.argv[2];
const files = [
  ...readdirSync(join(root, 'libs')).flatMap((lib) => find(join(root, 'libs', lib, 'dist'))),
  ...find(join(root, 'test', 'dist')),
  ...find(join(root, 'test', 'clients')),
]
  .filter((f) => !filter || f.includes(filter))
  .sort();

if (files.length === 0) {
  console.error('no test files found: run `make build` first');
  process.exit(1);
}
console.log(`running ${files.length} test files:\n  ${files.map((f) => relative(root, f)).join('\n  ')}`);
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, OMP_THREAD_LIMIT: '1' },
});
process.exit(result.status ?? 1);
