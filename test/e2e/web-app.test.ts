import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { corpusPath } from '../support/corpus';
import { startServer, type TestServer } from '../support/server';
import { startFakeModelServer, textOf, type FakeModelServer, type ModelRequest } from '../support/fake-model-server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';
const REPO = resolve(__dirname, '../../..');
/** Screenshots of the main screens, to look at (git-ignored). */
const ARTIFACTS = join(REPO, 'test/.artifacts/web');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** The policy another part of the platform sets; the app must work under it unchanged. */
const CSP = "default-src 'self'";
/** The translation "model": every Latin word becomes an Arabic one, so the translation reads right to left. */
const ARABIC: Record<string, string> = { quick: 'سريع', brown: 'بني', dog: 'كلب', fox: 'ثعلب', lazy: 'كسول' };
function toArabic(req: ModelRequest): { content: string } {
  return { content: textOf(req, 'user').replace(/[A-Za-z]+/g, (w) => ARABIC[w.toLowerCase()] ?? 'نص') };
}
const SCREENS = /^\/(documents(\/.*)?|signin|signup|account(\/.*)?)?$/;

interface Violation { id: string; impact: string | null; help: string; targets: string[] }

/** axe-core in the page (evaluated over the DevTools protocol, so the page's CSP does not block it). */
async function seriousViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => String(n.target)) })))`,
  )) as Violation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Screenshot, axe, and the same screen at phone width: nothing may make the page scroll sideways. */
async function check(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const serious = await seriousViolations(page);
  assert.deepEqual(serious, [], `${name}: ${JSON.stringify(serious, null, 1)}`);
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await page.screenshot({ path: join(ARTIFACTS, `${name}-phone.png`) });
    const wider = await page.evaluate(
      `document.documentElement.scrollWidth <= window.innerWidth + 1 ? [] : [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map((e) => e.tagName + '.' + e.className)`,
    );
    assert.deepEqual(wider, [], `${name}: these make the page scroll sideways at phone width`);
  } finally {
    if (wide) await page.setViewportSize(wide);
  }
}

/** A rect's box in the page, against the image's, as page pixels of the job JSON. */
async function boxInPagePixels(page: Page, figure: string, selector: string, pageWidth: number): Promise<number[]> {
  const img = await page.locator(`${figure} img`).boundingBox();
  const rect = await page.locator(`${figure} ${selector}`).boundingBox();
  assert.ok(img && rect, selector);
  const scale = pageWidth / img.width;
  return [(rect.x - img.x) * scale, (rect.y - img.y) * scale, (rect.x + rect.width - img.x) * scale, (rect.y + rect.height - img.y) * scale];
}

describe('the document web app in a real browser (Debian Chromium)', { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM}` }, () => {
  let server: TestServer;
  let model: FakeModelServer;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const cspErrors: string[] = [];

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // A translation model only: chat stays extractive, as on a server without a chat model.
    model = await startFakeModelServer(toArabic);
    server = await startServer({ OCR_WORKERS: '1', INLINE_PAGE_LIMIT: '0', AI_BASE_URL: model.url, AI_TRANSLATE_MODEL: 'fake-translate' });
    profile = mkdtempSync(join(tmpdir(), 'ocr-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // Every screen is served under a strict CSP: an inline script or style would be refused (and reported).
    await context.route(
      (url) => url.origin === server.baseUrl && SCREENS.test(url.pathname),
      async (route) => {
        const response = await route.fetch({ maxRedirects: 0 });
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': CSP } });
      },
    );
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(300_000);
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
    });
    page.on('dialog', (d) => void d.accept());
  });
  after(async () => {
    await context?.close();
    await server?.stop();
    await model?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  let anonymousJob: Json;

  it('uploads a scan from / anonymously, watches it finish and puts each word box on its word', async () => {
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('heading', { name: 'Turn a scan into text' }).waitFor();
    await page.locator('#allowance').getByText(/more pages today/).waitFor();
    await page.locator('#language-list option[value="auto"]').waitFor({ state: 'attached' });
    assert.ok((await page.locator('#language-list option').count()) > 100, 'the installed languages to search');
    assert.equal(await page.locator('#language-list option').first().getAttribute('value'), 'auto');
    await check(page, '01-home');

    await page.getByLabel(/Choose a file/).setInputFiles(corpusPath('printed/tess_phototest.tif'));
    await page.getByText('tess_phototest.tif').waitFor();
    await page.getByRole('button', { name: 'Read it' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    const uuid = page.url().split('/').pop()!;
    // The job was answered at once (INLINE_PAGE_LIMIT=0); the view follows its events until it is done.
    await page.getByRole('group', { name: 'Download' }).waitFor();
    anonymousJob = (await (await fetch(`${server.baseUrl}/api/v1/ocr/${uuid}/`)).json()) as Json;
    assert.equal(anonymousJob.status, 'done');

    const figure = '#page-0';
    await page.evaluate(`document.querySelector('${figure} img').decode()`);
    const p0 = anonymousJob.pages[0] as Json;
    // The known word: "quick" on the first line of Tesseract's phototest.
    let key = '';
    let bbox: number[] = [];
    (p0.blocks as Json[]).forEach((b, bi) =>
      (b.lines as Json[]).forEach((l, li) =>
        (l.words as Json[]).forEach((w, wi) => {
          if (!key && w.text === 'quick') {
            key = `p0-b${bi}-l${li}-w${wi}`;
            bbox = w.bbox as number[];
          }
        }),
      ),
    );
    assert.ok(key, 'the job JSON has the word');
    await page.getByRole('radio', { name: 'words' }).check();
    const drawn = await boxInPagePixels(page, figure, `rect[data-key="${key}"]`, p0.width);
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(drawn[i]! - bbox[i]!) <= 3, `word box ${drawn.map(Math.round)} vs job ${bbox}`);

    // Each layer draws its own boxes, and the radios are keyboard-operable.
    const count = (kind: string) => (p0.blocks as Json[]).reduce((n, b) => n + (kind === 'blocks' ? 1 : (b.lines as Json[]).reduce((m, l) => m + (kind === 'lines' ? 1 : (l.words as Json[]).length), 0)), 0);
    assert.equal(await page.locator(`${figure} rect.box`).count(), count('words'));
    await page.getByRole('radio', { name: 'blocks' }).check();
    assert.equal(await page.locator(`${figure} rect.box`).count(), count('blocks'));
    await page.getByRole('radio', { name: 'blocks' }).focus();
    await page.keyboard.press('ArrowRight');
    assert.ok(await page.getByRole('radio', { name: 'lines' }).isChecked());
    assert.equal(await page.locator(`${figure} rect.box`).count(), count('lines'));

    // Hover a line of text: its box lights up; hover a box: its line of text lights up.
    const line = page.locator('.line[data-key="p0-b0-l0"]');
    await line.hover();
    assert.match((await page.locator(`${figure} rect[data-key="p0-b0-l0"]`).getAttribute('class')) ?? '', /\bhl\b/);
    await page.locator(`${figure} rect[data-key="p0-b1-l0"]`).hover({ force: true });
    assert.match((await page.locator('.line[data-key="p0-b1-l0"]').getAttribute('class')) ?? '', /\bhl\b/);
    // From the keyboard: one tab stop for the text, the arrow keys step through its lines.
    await page.locator('#panel-text').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.match((await page.locator(`${figure} rect[data-key="p0-b0-l1"]`).getAttribute('class')) ?? '', /\bhl\b/);
    await check(page, '02-document');
    // The page scrolling under a resting pointer makes the browser send mouse events to the box now
    // under it: the keyboard's highlight stays until the pointer really moves.
    const sent = await page.evaluate(
      `new Promise((resolve) => {
        document.addEventListener('mouseover', () => requestAnimationFrame(() => resolve(true)), { once: true });
        window.scrollBy(0, 40);
        setTimeout(() => resolve(false), 5000);
      })`,
    );
    assert.ok(sent, 'the browser sent a mouseover for the scroll (else this checks nothing)');
    assert.deepEqual(await page.locator(`${figure} rect.hl`).evaluateAll((rects) => rects.map((r) => r.getAttribute('data-key'))), ['p0-b0-l1']);
    await page.locator(`${figure} rect[data-key="p0-b0-l0"]`).hover({ force: true });
    assert.deepEqual(await page.locator(`${figure} rect.hl`).evaluateAll((rects) => rects.map((r) => r.getAttribute('data-key'))), ['p0-b0-l0']);

    const [txt] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-format="txt"]').click()]);
    assert.match(readFileSync((await txt.path())!, 'utf8'), /quick brown dog/);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('a[data-format="pdf"]').click()]);
    assert.equal(readFileSync((await pdf.path())!).subarray(0, 5).toString(), '%PDF-');
    assert.equal(pdf.suggestedFilename(), 'tess_phototest.pdf');

    await page.getByRole('tab', { name: 'Markdown' }).click();
    await page.locator('.markdown p').first().waitFor();
    await check(page, '03-document-markdown');
  });

  it('signed in: uploads, asks a question and follows a citation to its box; lists, follows and deletes documents', async () => {
    await page.goto(`${server.baseUrl}/signup`);
    await check(page, '04-signup');
    await page.getByLabel('Email').fill('web-app@example.org');
    await page.getByLabel(/^Password/).fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await check(page, '04-account');

    await page.goto(`${server.baseUrl}/`);
    await page.locator('#allowance').getByText(/Your free plan/).waitFor();
    // Dropped on the upload area this time, as a person drags a file from their desktop.
    const bytes = readFileSync(corpusPath('printed/tess_phototest.tif')).toString('base64');
    const dropped = await page.evaluateHandle(
      `(() => { const b = Uint8Array.from(atob('${bytes}'), (c) => c.charCodeAt(0)); const d = new DataTransfer(); d.items.add(new File([b], 'dropped.tif', { type: 'image/tiff' })); return d; })()`,
    );
    await page.locator('label.drop').dispatchEvent('drop', { dataTransfer: dropped });
    await page.getByText('dropped.tif').waitFor();
    await page.getByRole('button', { name: 'Read it' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    const uuid = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: 'Ask about this document' }).waitFor();
    await page.getByLabel('Question').fill('What does the quick brown dog jump over?');
    await page.getByRole('button', { name: 'Ask' }).click();
    const citation = page.locator('button.citation').first();
    await citation.waitFor();
    await citation.click();
    const cite = page.locator('#page-0 rect.cite');
    await cite.waitFor();
    const box = await cite.boundingBox();
    assert.ok(box && box.width > 5 && box.height > 5, 'the cited box is drawn');
    assert.ok((await page.locator('.line.hl').count()) >= 1, 'the cited line is marked in the text');
    const answer = (await page.locator('.chat-log li.assistant').last().textContent()) ?? '';
    assert.match(answer, /quick brown dog/i, 'an extractive answer from the page');
    await check(page, '05-chat');
    // The README's picture: the page with its boxes, the text beside it, the cited box.
    await page.setViewportSize({ width: 1100, height: 640 });
    await page.locator('#page-0').scrollIntoViewIfNeeded();
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: join(ARTIFACTS, 'readme.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.equal(anonymousJob.uuid === uuid, false);

    // A longer document: the list follows it live (no reload) until all its pages are read.
    await page.goto(`${server.baseUrl}/`);
    await page.getByLabel(/Choose a file/).setInputFiles(corpusPath('pdf/ocrmypdf_cardinal.pdf'));
    await page.getByRole('button', { name: 'Read it' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    const cardinal = page.url().split('/').pop()!;
    await page.getByRole('link', { name: 'Documents' }).click();
    await page.getByRole('heading', { name: 'Your documents' }).waitFor();
    const row = page.locator('tr', { has: page.getByRole('link', { name: 'ocrmypdf_cardinal.pdf' }) });
    await row.getByText('4 / 4').waitFor();
    await row.locator('.status-done').waitFor();
    assert.match((await row.textContent()) ?? '', /\d+ h \d+ min/);
    assert.equal(await page.locator('tbody tr').count(), 2, 'only this account\'s documents');
    await check(page, '06-documents');

    await row.getByRole('button', { name: 'Delete ocrmypdf_cardinal.pdf' }).click();
    await page.getByText('Deleted ocrmypdf_cardinal.pdf.').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);
    const status = await page.evaluate(`fetch('/api/v1/ocr/${cardinal}/').then((r) => r.status)`);
    assert.equal(status, 404);

    // tool=translate: the translation beside the original, right to left for Arabic.
    await page.goto(`${server.baseUrl}/`);
    await page.getByLabel('Tool').selectOption('translate');
    await page.getByLabel('Translate to').fill('ar');
    await page.getByLabel(/Choose a file/).setInputFiles(corpusPath('printed/tess_phototest.tif'));
    await page.getByRole('button', { name: 'Read it' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f-]{36}$/);
    const translation = page.getByRole('region', { name: 'Translation (ar)' });
    await translation.waitFor();
    const rendered = translation.locator('.markdown').first();
    assert.match((await rendered.textContent()) ?? '', /سريع بني كلب/);
    const direction = (selector: string) => page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).direction`);
    assert.equal(await direction('section[aria-label="Translation (ar)"] .markdown'), 'rtl');
    assert.equal(await direction('.page-text .block'), 'ltr');
    await page.getByRole('link', { name: 'Markdown (ar)' }).waitFor();
    await check(page, '08-translation');

    await page.goto(`${server.baseUrl}/account/usage`);
    await page.locator('svg.chart rect.bar').first().waitFor();
    await check(page, '07-usage');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await check(page, '09-signin');
    assert.deepEqual(cspErrors, [], 'nothing refused under the CSP');
  });
});
