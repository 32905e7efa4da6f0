#!/usr/bin/env node
// Regenerates the golden exports in test/golden/<document stem>/<format>: starts the standalone
// service (built: `make golden` builds first), submits each document of GOLDEN_DOCS, downloads every
// format the server registers and writes it normalised. test/e2e/golden.test.ts imports the same
// list and normalisation from here and compares, so the two cannot drift apart.
//
// Normalised: uuids, timestamps and engine_ms (they change on every run); docx as the structure and
// text of word/document.xml (the zip carries creation dates); pdf as `pdftotext -layout` (the file
// carries dates and ids); other binary formats as a digest.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';

export const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const GOLDEN_DIR = join(REPO, 'test/golden');
// The documents come from test/fixtures (committed copies of corpus files), like every test's.
export const FIXTURES_DIR = join(REPO, 'test/fixtures');

/** A printed page, a 4-page scanned PDF with rotated pages, and a page with a table. */
export const GOLDEN_DOCS = [
  { file: 'printed/tess_phototest.tif', fields: { language: 'en' } },
  { file: 'pdf/ocrmypdf_cardinal.pdf', fields: { language: 'en' } },
  { file: 'tables/icdar2013_eu-008.png', fields: { language: 'en', tool: 'extract-tables' } },
];

export function stemOf(file) {
  return basename(file).replace(/\.[^.]+$/, '');
}

/** The formats this build serves (the registry decides; formats land in parallel). */
export function registeredFormats() {
  const require = createRequire(import.meta.url);
  return require(join(REPO, 'libs/export/dist/index.js')).availableFormats();
}

// ------------------------------------------------------------------------------------------------
// Normalisation

const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const TIMESTAMP = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b/g;

function scrub(text) {
  return text.replace(UUID, '<uuid>').replace(TIMESTAMP, '<time>');
}

function scrubJson(value) {
  if (Array.isArray(value)) return value.map(scrubJson);
  if (value && typeof value === 'object') {
    // Stage timings change on every run and are checked by test/e2e/long-documents.test.ts: left out.
    const entries = Object.entries(value).filter(([k]) => k !== 'timings');
    return Object.fromEntries(entries.map(([k, v]) => [k, k === 'engine_ms' && v !== null ? '<ms>' : scrubJson(v)]));
  }
  return typeof value === 'string' ? scrub(value) : value;
}

/** One file of a zip archive (stored or deflated), read through the central directory. */
export function readZipEntry(zip, name) {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a zip file');
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const entryName = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (entryName === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return method === 0 ? Buffer.from(data) : inflateRawSync(data);
    }
    at += 46 + nameLength + extra + comment;
  }
  throw new Error(`${name} not in the archive`);
}

function xmlText(s) {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

function paragraphText(p) {
  return [...p.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:(tab|br)\b[^>]*\/>/g)].map((m) => (m[2] === 'tab' ? '\t' : m[2] === 'br' ? '\n' : xmlText(m[1] ?? ''))).join('');
}

/** "[Heading1] text", "[list 3] text" or "text": the style or list a paragraph is in, then its text. */
function paragraphLine(p) {
  const style = /<w:pStyle w:val="([^"]+)"/.exec(p)?.[1];
  const num = /<w:numId w:val="(\d+)"/.exec(p)?.[1];
  const tag = num ? `[list ${num}] ` : style ? `[${style}] ` : '';
  return `${tag}${paragraphText(p)}`;
}

/**
 * word/document.xml as lines a reviewer can read in a diff: paragraphs with their style or list,
 * tables row by row ("| a | b {span 2} | c {merged} |"), and "=== page ===" at each section break.
 */
export function docxStructure(docx) {
  const xml = readZipEntry(docx, 'word/document.xml').toString('utf8');
  const body = /<w:body>([\s\S]*)<\/w:body>/.exec(xml)?.[1] ?? '';
  const out = [];
  const tokens = body.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>|<w:p\b[^>]*\/>|<w:p\b[\s\S]*?<\/w:p>|<w:sectPr\b/g);
  for (const [token] of tokens) {
    if (token.startsWith('<w:tbl>')) {
      out.push('<table>');
      for (const [row] of token.matchAll(/<w:tr\b[\s\S]*?<\/w:tr>/g)) {
        const cells = [...row.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map(([, tc]) => {
          const span = /<w:gridSpan w:val="(\d+)"/.exec(tc)?.[1];
          const vmerge = /<w:vMerge(?: w:val="(\w+)")?/.exec(tc);
          const text = [...tc.matchAll(/<w:p\b[\s\S]*?<\/w:p>/g)].map(([p]) => paragraphText(p)).join(' / ');
          const marks = [span ? `{span ${span}}` : '', vmerge ? (vmerge[1] === 'restart' ? '{merge start}' : '{merged}') : ''].filter(Boolean);
          return [text, ...marks].join(' ').trim();
        });
        out.push(`| ${cells.join(' | ')} |`);
      }
      out.push('</table>');
    } else if (token.startsWith('<w:sectPr')) {
      out.push('=== page ===');
    } else {
      out.push(paragraphLine(token));
      if (token.includes('<w:sectPr')) out.push('=== page ===');
    }
  }
  return `${out.join('\n')}\n`;
}

export function pdfText(pdf) {
  const dir = mkdtempSync(join(tmpdir(), 'golden-pdf-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', join(dir, 'in.pdf'), '-'], { maxBuffer: 64 << 20 }).toString('utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The golden form of one download: text that is the same on every run for the same build. */
export function normalise(format, bytes, contentType = '') {
  if (format === 'json') return `${JSON.stringify(scrubJson(JSON.parse(bytes.toString('utf8'))), null, 1)}\n`;
  if (format === 'docx') return docxStructure(bytes);
  if (format === 'pdf') return scrub(pdfText(bytes));
  if (/^text\/|xml|json|csv|markdown|html/.test(contentType) || ['txt', 'md', 'csv', 'hocr', 'alto'].includes(format)) {
    return scrub(bytes.toString('utf8'));
  }
  return `sha256 ${createHash('sha256').update(bytes).digest('hex')}\n`;
}

// ------------------------------------------------------------------------------------------------
// Producing the exports

async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'golden-'));
  const child = spawn(process.execPath, [join(REPO, 'apps/standalone/dist/main.js')], {
    // The ready line is logged at info level.
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'standalone ready') {
          clearTimeout(timer);
          resolvePort(entry.port);
        }
      } catch {
        /* not a log line */
      }
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A GET, tried again once on a network error: after a long inline POST, Node's fetch has been seen
 * to fail the next request on a pooled connection the server had already closed.
 */
async function download(url) {
  try {
    return await fetch(url);
  } catch (err) {
    if (!(err instanceof TypeError)) throw err;
    return fetch(url);
  }
}

/** Submits one document, waits for it, and returns {format: normalised text} for the given formats. */
export async function goldenExports(baseUrl, doc, formats) {
  const form = new FormData();
  const path = join(FIXTURES_DIR, doc.file);
  form.append('file', new Blob([readFileSync(path)]), basename(path));
  for (const [k, v] of Object.entries(doc.fields)) form.append(k, v);
  let job = await (await fetch(`${baseUrl}/api/v1/ocr/`, { method: 'POST', body: form })).json();
  const deadline = Date.now() + 600_000;
  while (job.status !== 'done' && job.status !== 'failed') {
    if (Date.now() > deadline) throw new Error(`${doc.file}: job still ${job.status}`);
    await new Promise((r) => setTimeout(r, 300));
    job = await (await fetch(`${baseUrl}/api/v1/ocr/${job.uuid}/`)).json();
  }
  if (job.status !== 'done') throw new Error(`${doc.file}: job ${job.status}: ${job.error}`);
  const out = {};
  for (const format of formats) {
    const res = await download(`${baseUrl}/api/v1/ocr/${job.uuid}/download/?format=${format}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    // A refusal is an answer too (csv of a page without tables is 409): the golden records it.
    out[format] =
      res.status === 200 ? normalise(format, bytes, res.headers.get('content-type') ?? '') : `HTTP ${res.status}\n${scrub(bytes.toString('utf8'))}\n`;
  }
  return out;
}

async function main() {
  const formats = registeredFormats();
  const server = await startServer();
  try {
    for (const doc of GOLDEN_DOCS) {
      const dir = join(GOLDEN_DIR, stemOf(doc.file));
      mkdirSync(dir, { recursive: true });
      const exports = await goldenExports(server.baseUrl, doc, formats);
      for (const [format, text] of Object.entries(exports)) writeFileSync(join(dir, format), text);
      console.log(`${doc.file}: ${Object.keys(exports).join(', ')}`);
    }
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
