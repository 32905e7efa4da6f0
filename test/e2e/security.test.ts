import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { pdfWithPages } from '../support/invoice-pdf';
import { animatedWebp, pdfOfHugePages, pdfWithPageTreeLoop, pngDeclaring } from '../support/hostile-files';
import { startServer, type TestServer } from '../support/server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const EVIL = { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' };
const BAD_COOKIE = 'ocr_session=%E0%A4%A';

/** Waits until a log line matching `pattern` has been written (logs reach us through a pipe). */
async function logLine(server: TestServer, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = server.logs.find((l) => pattern.test(l));
    if (line) return line;
    if (Date.now() > deadline) throw new Error(`no log line matching ${pattern}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Client {
  ip: string;
  cookie?: string;
}

describe('security: a public multi-tenant service', () => {
  let server: TestServer;
  let same: Record<string, string>;

  const post = (path: string, body: Record<string, string>, c: Client, extra: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams(body),
      headers: { 'X-Forwarded-For': c.ip, ...(c.cookie ? { Cookie: c.cookie } : {}), ...extra },
    });
  const get = (path: string, c: Client, extra: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}${path}`, { redirect: 'manual', headers: { 'X-Forwarded-For': c.ip, ...(c.cookie ? { Cookie: c.cookie } : {}), ...extra } });

  /** Signs up through the web form as a browser on the same origin would; returns the session and first token. */
  async function signUp(email: string, ip: string, extra: Record<string, string> = {}): Promise<{ cookie: string; token: string; res: Response }> {
    const res = await post('/signup', { email, password: 'correct horse battery' }, { ip }, { ...same, ...extra });
    assert.equal(res.status, 201, `sign-up of ${email}`);
    const setCookie = res.headers.get('set-cookie') ?? '';
    const cookie = setCookie.split(';')[0] ?? '';
    const token = /id="new-token"[^>]*value="([^"]+)"/.exec(await res.text())?.[1] ?? '';
    assert.match(token, /^ocr_/);
    return { cookie, token, res };
  }

  async function submitFile(bytes: Buffer, name: string, ip: string, token?: string): Promise<Response> {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    const headers: Record<string, string> = { 'X-Forwarded-For': ip };
    if (token) headers['Authorization'] = `Bearer ${token}`;
    return fetch(`${server.baseUrl}/api/v1/ocr/`, { method: 'POST', body: form, headers });
  }

  before(async () => {
    server = await startServer({
      TRUST_PROXY: 'loopback',
      OCR_WORKERS: '1',
      SIGNIN_MAX_FAILURES: '3',
      SIGNIN_IP_MAX_FAILURES: '6',
      SIGNIN_LOCKOUT_SECONDS: '1',
      SIGNIN_LOCKOUT_MAX_SECONDS: '4',
      SIGNUPS_PER_IP: '3',
      ANON_MAX_FRAMES_PER_FILE: '10',
      ANON_MAX_PIXELS_PER_FILE: '50000000',
    });
    same = { Origin: server.baseUrl, 'Sec-Fetch-Site': 'same-origin' };
  });
  after(async () => server.stop());

  it('1. never logs a token, whatever the query encoding, nor Authorization or cookies', async () => {
    const { cookie, token } = await signUp('log@example.org', '10.0.1.1');
    const session = cookie.split('=')[1] ?? '';
    const c = { ip: '10.0.1.1' };
    const encoded = await get(`/api/v1/account/?api%5Ftoken=${token}`, c);
    assert.equal(encoded.status, 200, 'an encoded parameter name still authenticates');
    assert.equal(((await encoded.json()) as Json).email, 'log@example.org');
    await get(`/api/v1/account/?api%5ftoken=${token}&x=1`, c);
    await get(`/api/v1/account/?api_token=nope&api_token=${token}`, c);
    await get(`/api/v1/account/?api_token[]=${token}`, c);
    await get(`/api/v1/account/?a=1&%61pi_token=${token}`, c);
    await get('/api/v1/account/', { ...c, cookie }, { Authorization: `Bearer ${token}` });
    await get('/healthz?marker=log-check-done', c);
    await logLine(server, /log-check-done/);
    const all = server.logs.join('\n');
    assert.ok(!all.includes(token), 'the token is in the log');
    assert.ok(!all.includes(token.slice(4, 20)), 'part of the token is in the log');
    assert.ok(!all.includes(session), 'the session cookie is in the log');
    assert.match(all, /api_token=\*\*\*/);
  });

  it('2. refuses cross-site state changes with the session cookie (CSRF), sign-in and sign-up included', async () => {
    const { cookie } = await signUp('csrf@example.org', '10.0.2.1');
    const c = { ip: '10.0.2.1', cookie };
    const tokenCount = async () => ((await (await get('/account', c)).text()).match(/<tr><td><code>/g) ?? []).length;
    assert.equal(await tokenCount(), 1);

    const crossSite: Array<Record<string, string>> = [
      EVIL,
      { Origin: 'https://evil.example' },
      { 'Sec-Fetch-Site': 'same-site', Origin: 'https://app.evil.example' },
      { Referer: 'https://evil.example/x' },
    ];
    for (const headers of crossSite) {
      const res = await post('/account/tokens', { name: 'csrf' }, c, headers);
      assert.equal(res.status, 403, `token create with ${JSON.stringify(headers)}`);
      assert.equal(((await res.json()) as Json).error, 'forbidden');
    }
    assert.equal(await tokenCount(), 1, 'no token was created cross-site');
    const page = await (await get('/account', c)).text();
    const tokenId = /action="\/account\/tokens\/([^/]+)\/revoke"/.exec(page)?.[1] ?? '';
    assert.equal((await post(`/account/tokens/${tokenId}/revoke`, {}, c, EVIL)).status, 403);
    assert.equal((await post('/account/delete', { confirm: 'delete' }, c, EVIL)).status, 403);
    assert.equal((await post('/signout', {}, c, EVIL)).status, 403);
    const apiDelete = await fetch(`${server.baseUrl}/api/v1/account/`, { method: 'DELETE', headers: { Cookie: cookie, 'X-Forwarded-For': c.ip, ...EVIL } });
    assert.equal(apiDelete.status, 403);
    assert.equal((await get('/account', c)).status, 200, 'the account survived');
    assert.doesNotMatch(await (await get('/account', c)).text(), /revoked/);

    // Login CSRF: a cross-site form signs the victim into the attacker's account.
    assert.equal((await post('/signin', { email: 'csrf@example.org', password: 'correct horse battery' }, { ip: '10.0.2.2' }, EVIL)).status, 403);
    assert.equal((await post('/signup', { email: 'csrf2@example.org', password: 'correct horse battery' }, { ip: '10.0.2.2' }, EVIL)).status, 403);

    // Same-origin requests (forms and the web app's fetch) keep working, as do clients that send no browser headers.
    assert.equal((await post('/account/tokens', { name: 'same' }, c, same)).status, 201);
    assert.equal((await post('/account/tokens', { name: 'origin' }, c, { Origin: server.baseUrl })).status, 201);
    assert.equal((await post('/account/tokens', { name: 'plain' }, c)).status, 201);
    assert.equal(await tokenCount(), 4);
  });

  it('3. sets security headers on every response; HSTS and Secure cookies behind TLS; hOCR cannot run as a page', async () => {
    const c = { ip: '10.0.3.1' };
    for (const res of [await get('/signin', c), await get('/healthz', c), await get('/api/v1/ocr/00000000-0000-4000-8000-000000000000/', c), await get('/nope', c)]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'self'/, res.url);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
      assert.equal(res.headers.get('x-frame-options'), 'DENY');
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'same-origin');
      assert.equal(res.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
    }
    // The pages carry no inline script or style, so the strict policy does not break them.
    const { cookie } = await signUp('headers@example.org', '10.0.3.1');
    for (const path of ['/signin', '/signup', '/account', '/account/usage']) {
      const html = await (await get(path, { ...c, cookie })).text();
      for (const tag of html.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\ssrc="\/[^"]+"/, `${path}: inline script`);
      assert.doesNotMatch(html, /<style\b|\sstyle="|\son\w+="/i, `${path}: inline style or handler`);
      for (const asset of html.match(/(?:src|href)="(\/static\/[^"]+)"/g) ?? []) {
        const url = /"([^"]+)"/.exec(asset)?.[1] ?? '';
        const res = await get(url, c);
        assert.equal(res.status, 200, url);
        assert.match(res.headers.get('content-type') ?? '', /css|javascript/);
      }
    }
    const tls = { 'X-Forwarded-Proto': 'https' };
    const secure = await get('/signin', c, tls);
    assert.match(secure.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
    const { res: signup } = await signUp('tls@example.org', '10.0.3.2', tls);
    assert.match(signup.headers.get('set-cookie') ?? '', /; Secure/);

    // hOCR is XHTML: downloaded as an attachment in a sandbox, it cannot run script in our origin.
    const png = await sharp({ create: { width: 240, height: 120, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const job = (await (await submitFile(png, 'blank.png', '10.0.3.3')).json()) as Json;
    assert.equal(job.status, 'done', JSON.stringify(job).slice(0, 300));
    const hocr = await get(`/api/v1/ocr/${job.uuid}/download/?format=hocr`, { ip: '10.0.3.3' });
    assert.equal(hocr.status, 200);
    assert.match(hocr.headers.get('content-disposition') ?? '', /^attachment/);
    assert.match(hocr.headers.get('content-security-policy') ?? '', /sandbox/);
    assert.equal(hocr.headers.get('x-content-type-options'), 'nosniff');
    assert.match(await hocr.text(), /^<\?xml[\s\S]*class='ocr_page'|^<\?xml[\s\S]*class="ocr_page"/);
  });

  it('4. throttles sign-in per account and per IP with growing lockouts; the right password waits too', async () => {
    await signUp('brute@example.org', '10.0.4.1');
    const attempt = (password: string, ip = '10.0.4.1', email = 'brute@example.org') => post('/signin', { email, password }, { ip }, same);
    for (let i = 0; i < 3; i++) assert.equal((await attempt(`wrong ${i}`)).status, 401);
    const locked = await attempt('correct horse battery');
    assert.equal(locked.status, 429, 'the right password during a lockout waits');
    const wait = Number(locked.headers.get('retry-after'));
    assert.ok(wait >= 1, `Retry-After ${wait}`);
    await new Promise((r) => setTimeout(r, wait * 1000 + 200));
    assert.equal((await attempt('correct horse battery')).status, 303, 'signs in once the lockout is over');

    // A burst in parallel is counted as it arrives, not after the password checks.
    await signUp('burst@example.org', '10.0.4.1');
    const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(`wrong ${i}`, `10.0.4.${20 + i}`, 'burst@example.org')));
    const statuses = burst.map((r) => r.status);
    assert.ok(statuses.filter((s) => s === 401).length <= 3, `burst: ${statuses.join(',')}`);
    assert.ok(statuses.filter((s) => s === 429).length >= 7, `burst: ${statuses.join(',')}`);

    // One address trying many accounts is throttled as an address.
    const spray = [];
    for (let i = 0; i < 8; i++) spray.push((await attempt('guess', '10.0.4.99', `victim${i}@example.org`)).status);
    assert.deepEqual(spray.slice(0, 6), [401, 401, 401, 401, 401, 401]);
    assert.deepEqual(spray.slice(6), [429, 429]);
  });

  it('5. limits sign-ups per client address', async () => {
    for (let i = 0; i < 3; i++) await signUp(`many${i}@example.org`, '10.0.5.1');
    const over = await post('/signup', { email: 'many3@example.org', password: 'correct horse battery' }, { ip: '10.0.5.1' }, same);
    assert.equal(over.status, 429);
    assert.ok(Number(over.headers.get('retry-after')) > 0);
    await signUp('other@example.org', '10.0.5.2');
  });

  it('6. bounds work by what a file costs: frames and decoded pixels per file, per plan, before decoding', async () => {
    const ip = '10.0.6.1';
    const cases: Array<[string, Buffer, string]> = [
      ['animated.webp', await animatedWebp(40), 'frames_per_file'],
      ['huge-pages.pdf', pdfOfHugePages(10, 2100), 'pixels_per_file'],
      ['bomb.png', pngDeclaring(8900, 8900), 'pixels_per_file'],
    ];
    for (const [name, bytes, limit] of cases) {
      assert.ok(bytes.length < 25_000, `${name} is small`);
      const res = await submitFile(bytes, name, ip);
      const body = (await res.json()) as Json;
      assert.equal(res.status, 413, `${name}: ${JSON.stringify(body)}`);
      assert.equal(body.error, 'payload_too_large');
      assert.equal(body.limit, limit, name);
      assert.equal(body.plan, 'anonymous');
      assert.ok(body.used > body.cap, name);
      assert.match(body.message, /ANON_MAX_(FRAMES|PIXELS)_PER_FILE/);
    }
    const account = (await (await get('/api/v1/account/', { ip })).json()) as Json;
    assert.equal(account.allowance.used, 0, 'nothing was charged');
    // A signed-up (free) account has higher limits: the animation is within them.
    const { token } = await signUp('frames@example.org', '10.0.6.2');
    const res = await submitFile(await animatedWebp(11), 'eleven.webp', '10.0.6.2', token);
    const job = (await res.json()) as Json;
    assert.equal(res.status, 202, JSON.stringify(job).slice(0, 300));
    await fetch(`${server.baseUrl}/api/v1/ocr/${job.uuid}/`, { method: 'DELETE', headers: { Authorization: `Bearer ${token}` } });
  });

  it('8. treats a malformed session cookie as no session on every page, never a 500', async () => {
    const c = { ip: '10.0.8.1', cookie: BAD_COOKIE };
    const checks: Array<[string, Promise<Response>, number]> = [
      ['GET /account', get('/account', c), 303],
      ['GET /account/usage', get('/account/usage', c), 303],
      ['GET /signin', get('/signin', c), 200],
      ['POST /account/tokens', post('/account/tokens', { name: 'x' }, c, same), 303],
      ['POST /account/tokens/x/revoke', post('/account/tokens/x/revoke', {}, c, same), 303],
      ['POST /account/delete', post('/account/delete', { confirm: 'delete' }, c, same), 303],
      ['POST /signout', post('/signout', {}, c, same), 303],
      ['GET /api/v1/account/', get('/api/v1/account/', c), 200],
    ];
    for (const [name, pending, status] of checks) assert.equal((await pending).status, status, name);
  });

  it('10. damaged files: refused at intake with a message a user can act on; no raw library text; a page-tree loop is a damaged PDF', async () => {
    const ip = '10.0.10.1';
    const pdf = pdfWithPages([['Invoice 1'], ['Invoice 2']]);
    const tiff = await sharp({ create: { width: 600, height: 800, channels: 3, background: '#ffffff' } }).greyscale().tiff({ compression: 'none' }).toBuffer();
    const png = await sharp({ create: { width: 600, height: 800, channels: 3, background: '#ffffff' } }).png().toBuffer();
    const cases: Array<[string, Buffer]> = [
      ['truncated.pdf', pdf.subarray(0, Math.floor(pdf.length / 2))],
      ['loop.pdf', pdfWithPageTreeLoop()],
      ['truncated.png', png.subarray(0, Math.floor(png.length * 0.6))],
      ['truncated.tif', tiff.subarray(0, Math.floor(tiff.length * 0.6))],
    ];
    const raw = /tiff2vips|TIFF\w+:|Syntax Error|Couldn't|xref|libpng|VipsJpeg|vips_|no pixels|pngload|read error/i;
    for (const [name, bytes] of cases) {
      const res = await submitFile(bytes, name, ip);
      const body = (await res.json()) as Json;
      assert.equal(res.status, 400, `${name}: ${JSON.stringify(body).slice(0, 400)}`);
      assert.equal(body.error, 'invalid_document', name);
      assert.match(body.message, /damaged|incomplete/, `${name}: ${body.message}`);
      assert.match(body.message, /upload|export|scan|save/i, `${name}: actionable: ${body.message}`);
      assert.doesNotMatch(body.message, raw, `${name}: ${body.message}`);
    }
  });
});

describe('security: start-up hygiene and proxy trust', () => {
  let server: TestServer;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ocr-leftovers-'));
    // What a crash leaves: a page's scratch directory and a partial upload, both older than the process.
    mkdirSync(join(dir, 'scratch', 'page-abc'), { recursive: true });
    writeFileSync(join(dir, 'scratch', 'page-abc', 'pdf-0.tif'), Buffer.alloc(4096));
    writeFileSync(join(dir, 'scratch', 'export-x.pdf'), Buffer.alloc(10));
    mkdirSync(join(dir, 'incoming'), { recursive: true });
    writeFileSync(join(dir, 'incoming', '5d2f0a1b9c8e7d6f'), Buffer.alloc(4096));
    const old = new Date(Date.now() - 3_600_000);
    for (const p of ['scratch/page-abc/pdf-0.tif', 'scratch/page-abc', 'scratch/export-x.pdf', 'incoming/5d2f0a1b9c8e7d6f']) utimesSync(join(dir, p), old, old);
    server = await startServer({ OCR_WORKERS: '1' }, dir);
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('7. sweeps crash leftovers from scratch/ and incoming/ at start', () => {
    assert.ok(!existsSync(join(dir, 'scratch', 'page-abc')), 'scratch directory left');
    assert.ok(!existsSync(join(dir, 'scratch', 'export-x.pdf')), 'scratch file left');
    assert.ok(!existsSync(join(dir, 'incoming', '5d2f0a1b9c8e7d6f')), 'partial upload left');
    assert.ok(existsSync(join(dir, 'scratch')) && existsSync(join(dir, 'incoming')), 'the directories themselves stay');
  });

  it('11. warns loudly when X-Forwarded-For arrives and TRUST_PROXY is unset', async () => {
    assert.ok(!server.logs.some((l) => /TRUST_PROXY/.test(l)), 'no warning before such a request');
    await fetch(`${server.baseUrl}/healthz`, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    const line = await logLine(server, /TRUST_PROXY/);
    const entry = JSON.parse(line) as Json;
    assert.equal(entry.level, 40, 'a warning');
    assert.match(entry.msg, /X-Forwarded-For/);
    await fetch(`${server.baseUrl}/healthz`, { headers: { 'X-Forwarded-For': '203.0.113.8' } });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.logs.filter((l) => /TRUST_PROXY/.test(l)).length, 1, 'once, not per request');
  });
});
