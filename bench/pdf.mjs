#!/usr/bin/env node
// `make bench-pdf`: every PDF measurement in one run, one script after the other so each has the
// machine to itself: PDFs at scale (born-digital rate against pdftotext, 500-page memory and time,
// stage sums: bench/pdf-scale.mjs), then the searchable PDF against OCRmyPDF plain and with
// --rotate-pages --deskew (bench/searchable-pdf.mjs). Each replaces its own section of RESULTS.md.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const BENCH = resolve(new URL('.', import.meta.url).pathname);
for (const script of ['pdf-scale.mjs', 'searchable-pdf.mjs']) {
  const { status } = spawnSync(process.execPath, [resolve(BENCH, script)], { stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}
