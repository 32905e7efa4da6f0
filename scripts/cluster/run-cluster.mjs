#!/usr/bin/env node
// `make cluster`: the cluster shape on this machine, in the foreground. Starts Kafka, FerretDB and
// an S3 server (installed and cached by scripts/cluster/install-*.sh), then every service as its
// own process on loopback: auth-billing, ingest, export, chat, CPU_OCR_PROCESSES cpu-ocr workers
// (each OCR_WORKERS=1), a vlm-ocr worker (VLM_OCR_PROCESSES=0: none), and the gateway on PORT. Ctrl-C or SIGTERM stops exactly what it started.
// The launcher is the one the tests use (test/support/cluster.ts, compiled by `make build`).
// Data lives in temporary directories for the run: this is a local cluster for trying and testing.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(new URL('../..', import.meta.url).pathname);
const { startCluster } = await import(join(root, 'test/dist/support/cluster.js'));

const port = Number(process.env.PORT ?? 8080);
const cpuWorkers = Number(process.env.CPU_OCR_PROCESSES ?? 2);
// vlm-ocr idles until AI_BASE_URL and AI_VISION_MODEL are set (tier=vlm is refused or served on cpu before).
const vlmWorker = process.env.VLM_OCR_PROCESSES !== '0';
const stateDir = join(resolve(process.env.DATA_DIR ?? join(root, 'var')), 'cluster');

console.log(`starting the cluster: servers, auth-billing, ingest, export, chat, ${cpuWorkers} cpu-ocr${vlmWorker ? ', vlm-ocr' : ''}, gateway on :${port}`);
const cluster = await startCluster({ port, cpuWorkers, vlmWorker, echo: true, host: '127.0.0.1' });

// `make token` finds the running cluster's auth-billing here.
mkdirSync(stateDir, { recursive: true });
writeFileSync(join(stateDir, 'pid'), `${process.pid}\n`);
writeFileSync(join(stateDir, 'auth-billing-url'), `${cluster.env.AUTH_BILLING_GRPC_URL}\n`);

const lines = cluster.services.map((s) => `  ${s.name.padEnd(14)} pid ${s.pid}  http :${s.port}`);
console.log(`\ncluster ready: ${cluster.baseUrl}\n${lines.join('\n')}\n  kafka ${cluster.env.KAFKA_BROKERS}  mongodb ${cluster.env.MONGODB_URI}  s3 ${cluster.env.S3_ENDPOINT}\n` +
  `token: make token   (Ctrl-C stops everything this started)\n`);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the cluster`);
  rmSync(stateDir, { recursive: true, force: true });
  await cluster.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
