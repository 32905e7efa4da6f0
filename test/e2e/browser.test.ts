import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { corpusPath } from '../support/corpus';
import { submit } from '../support/http';
import { startServer, type TestServer } from '../support/server';

const CHROMIUM = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';

describe('the account pages in a real browser (Debian Chromium)', { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM} (scripts/install-system.sh test installs it)` }, () => {
  let server: TestServer;
  let profile: string;
  let context: BrowserContext;

  before(async () => {
    server = await startServer({ OCR_WORKERS: '1' });
    // A fresh profile each run: nothing remembered between runs, no first-run or network side trips.
    profile = mkdtempSync(join(tmpdir(), 'ocr-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  });
  after(async () => {
    await context?.close();
    await server?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('signs up, copies the token from the account page, uses it for an API call and sees the usage go up', async () => {
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/signup`);
    await page.getByLabel('Email').fill('browser@example.org');
    await page.getByLabel(/^Password/).fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    assert.equal(await page.locator('#used').textContent(), '0');

    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied.').waitFor();
    // What the Copy button put on the clipboard (evaluated in the page; the tests have no DOM types).
    const copied = String(await page.evaluate('navigator.clipboard.readText()'));
    assert.match(copied, /^ocr_[A-Za-z0-9_-]{40,}$/);
    assert.equal(copied, await page.locator('#new-token').inputValue());

    const res = await submit(server.baseUrl, { file: corpusPath('printed/tess_phototest.tif'), token: copied });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-plan'), 'free');

    await page.getByRole('link', { name: 'Usage per day' }).click();
    await page.getByRole('heading', { name: 'Usage' }).waitFor();
    assert.equal(await page.locator('#used').textContent(), '1');
    const row = (await page.locator('#usage-rows tr').first().textContent()) ?? '';
    assert.match(row, /\d{4}-\d{2}-\d{2}\s*cpu\s*1\s*1/);

    // The token is listed by its prefix only, and a fresh visit does not show it again.
    await page.goto(`${server.baseUrl}/account`);
    assert.equal(await page.locator('#new-token').count(), 0);
    assert.ok((await page.content()).includes(copied.slice(0, 12)));
    assert.ok(!(await page.content()).includes(copied));

    // Signing out ends the session; signing in again brings the account back.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.goto(`${server.baseUrl}/account`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill('browser@example.org');
    await page.getByLabel(/^Password/).fill('a long enough password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    assert.equal(await page.locator('#used').textContent(), '1');
  });
});
