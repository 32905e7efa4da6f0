import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fixturePath } from '../support/corpus';
import { submit } from '../support/http';
import { MAKE_TOKEN, startServer, type TestServer } from '../support/server';

/**
 * Schema fuzzing: schemathesis (PyPI, installed by scripts/install-schemathesis.sh, which `make test`
 * runs) generates requests from the served OpenAPI document, valid and invalid, and fails on any
 * 5xx, any status, content type, header or body the document does not describe, and any request
 * that does not answer within REQUEST_TIMEOUT_SECONDS (a hang). Bounded: MAX_EXAMPLES per operation,
 * a fixed seed (the same cases on every run, so a failure reproduces), and WALL_SECONDS for the lot.
 */
const REPO = resolve(__dirname, '../../..');
const MAX_EXAMPLES = 100;
const SEED = 20261130;
const REQUEST_TIMEOUT_SECONDS = 30;
const WALL_SECONDS = 180;
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_headers_conformance', 'response_schema_conformance'];
/** Deleting the account or the seeded job would leave the rest of the run nothing to reach. */
const EXCLUDED_OPERATIONS = ['deleteAccount', 'deleteJob'];

function schemathesisPython(): string {
  const version = /^VERSION=(\S+)$/m.exec(readFileSync(join(REPO, 'scripts/install-schemathesis.sh'), 'utf8'))?.[1];
  const tools = process.env['OCR_TOOLS_DIR'] ?? join(homedir(), '.cache/ocr-chat-tools');
  const python = join(tools, `schemathesis-${version}`, 'bin/python');
  if (!existsSync(python)) throw new Error(`schemathesis ${version} is not installed at ${python}: run bash scripts/install-schemathesis.sh (make test does)`);
  return python;
}

function run(command: string, args: string[], cwd: string, wallMs: number): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolvePromise) => {
    // In a temporary directory: schemathesis keeps a cache (.schemathesis/) where it runs.
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, wallMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output, timedOut });
    });
  });
}

describe('schemathesis against the served OpenAPI document', () => {
  let server: TestServer;
  let dir: string;
  let token: string;
  let uuid: string;

  before(async () => {
    server = await startServer({ OCR_WORKERS: '1' });
    dir = mkdtempSync(join(tmpdir(), 'schemathesis-'));
    const out = execFileSync(process.execPath, [MAKE_TOKEN, 'schemathesis', 'acct-schemathesis'], { env: { ...process.env, DATA_DIR: server.dataDir } });
    token = out.toString().trim().split('\n').pop() ?? '';
    // One finished job, so the job, download and chat operations reach their logic instead of 404.
    const job = (await (await submit(server.baseUrl, { file: fixturePath('printed/tess_phototest.tif'), token, fields: { language: 'en' } })).json()) as { uuid: string; status: string };
    assert.equal(job.status, 'done');
    uuid = job.uuid;
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`finds no 5xx, hang or response outside the document (${MAX_EXAMPLES} examples per operation, seed ${SEED})`, async () => {
    const config = join(dir, 'schemathesis.toml');
    writeFileSync(config, `[parameters]\n"path.uuid" = "${uuid}"\n`);
    const args = [
      '-c',
      'import sys; from schemathesis.cli import schemathesis; sys.exit(schemathesis())',
      '--config-file',
      config,
      'run',
      `${server.baseUrl}/api/v1/openapi.json`,
      '--checks',
      CHECKS.join(','),
      '--phases',
      'examples,coverage,fuzzing',
      '--max-examples',
      String(MAX_EXAMPLES),
      '--seed',
      String(SEED),
      '--workers',
      '1',
      '--request-timeout',
      String(REQUEST_TIMEOUT_SECONDS),
      '--header',
      `Authorization: Bearer ${token}`,
      ...EXCLUDED_OPERATIONS.flatMap((id) => ['--exclude-operation-id', id]),
    ];
    const started = Date.now();
    const result = await run(schemathesisPython(), args, dir, WALL_SECONDS * 1000);
    const summary = result.output.slice(result.output.lastIndexOf('SUMMARY') - 40).replace(new RegExp(token, 'g'), '<token>');
    console.log(`schemathesis: exit ${result.code} in ${Math.round((Date.now() - started) / 1000)} s\n${summary}`);
    assert.ok(!result.timedOut, `schemathesis ran past ${WALL_SECONDS} s (a hang?)\n${result.output.slice(-6000)}`);
    assert.equal(result.code, 0, result.output.slice(-12000).replace(new RegExp(token, 'g'), '<token>'));
    assert.match(result.output, /Test cases:\s+\d+ generated, \d+ passed/);
    // And the service is still up and answering after all of it.
    assert.equal((await fetch(`${server.baseUrl}/healthz`)).status, 200);
  });
});
