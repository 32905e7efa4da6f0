import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

// `make deploy-check` inside `make test`: the Helm chart linted, rendered, validated against the
// Kubernetes and KEDA schemas, and installed into a real etcd + kube-apiserver that this run
// starts and stops (scripts/k8s/deploy-check.sh). The first run on a fresh machine builds the
// tools from the Go proxy (several minutes); later runs reuse ${OCR_TOOLS_DIR}.
const REPO = resolve(__dirname, '../../..');

interface Run {
  code: number | null;
  output: string;
}

// A cold run builds kube-apiserver (6-13 min on 2 busy cores) and the other tools; past this the
// script is stopped (it then stops its servers) rather than hanging the suite.
const LIMIT_MS = 45 * 60_000;

function runDeployCheck(onLine: (line: string) => void): Promise<Run> {
  return new Promise((done, failed) => {
    const child = spawn('bash', [resolve(REPO, 'scripts/k8s/deploy-check.sh')], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: AbortSignal.timeout(LIMIT_MS),
      killSignal: 'SIGTERM',
    });
    let output = '';
    let pending = '';
    const take = (chunk: Buffer): void => {
      const text = chunk.toString();
      output += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(onLine);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (err) => (err.name === 'AbortError' ? undefined : failed(err)));
    child.on('close', (code) => {
      if (pending) onLine(pending);
      done({ code, output });
    });
  });
}

describe('make deploy-check: the Helm chart against schemas and a real kube-apiserver', () => {
  it('lints, validates every rendered object, installs, and the server refuses a broken ScaledObject', async (t) => {
    // Each step's result shows in the suite's output (spec reporter prints diagnostics).
    const run = await runDeployCheck((line) => {
      if (/^(ok|not ok) - |^# /.test(line)) t.diagnostic(line);
    });
    const tail = run.output.split('\n').slice(-40).join('\n');
    assert.equal(run.code, 0, `deploy-check failed:\n${tail}`);
    assert.match(run.output, /^ok - helm lint --strict, production values$/m);
    assert.match(run.output, /^ok - kubeconform, production values: (\d+) of \1 objects valid/m);
    assert.match(run.output, /^ok - kubeconform fails an object whose schema is missing$/m);
    assert.match(run.output, /^ok - chart promises, production values: \d+ checks$/m);
    assert.match(run.output, /^ok - helm install ocr-chat \(production values\): release deployed$/m);
    assert.match(run.output, /^ok - ScaledObjects on the server: 2$/m);
    assert.match(run.output, /^ok - the server refuses minReplicaCount: -1: /m);
    assert.match(run.output, /^deploy-check: passed$/m);
    assert.doesNotMatch(run.output, /^not ok/m);
  });
});
