import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@ocr/domain';
import { TokenService } from '@ocr/auth';
import { AccountService, FailureThrottle, WindowLimiter, type AbuseSettings } from '@ocr/accounts';
import { FileAccountStore, FileSessionStore, RevocableFileTokenStore } from '@ocr/adapters-embedded';
import { readCookie, redactedUrl } from '@ocr/http-api';
import { checkComplete, INCOMPLETE_FILE } from '@ocr/intake';
import sharp from 'sharp';

const dir = mkdtempSync(join(tmpdir(), 'ocr-security-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function accountService(root: string, scryptN: number, abuse?: AbuseSettings): AccountService {
  const tokenStore = new RevocableFileTokenStore(join(root, 'tokens'));
  return new AccountService(
    new FileAccountStore(join(root, 'accounts')),
    new FileSessionStore(join(root, 'sessions')),
    tokenStore,
    new TokenService(tokenStore),
    { sessionHours: 1, scryptN, ...(abuse ? { abuse } : {}) },
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

describe('request log redaction', () => {
  const token = 'ocr_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde';
  it('redacts api_token however its name is encoded or repeated, and any token-shaped value', () => {
    for (const url of [
      `/api/v1/account/?api_token=${token}`,
      `/api/v1/account/?api%5Ftoken=${token}`,
      `/api/v1/account/?api%5ftoken=${token}&x=1`,
      `/api/v1/account/?%61pi_token=${token}`,
      `/api/v1/account/?api_token=a&api_token=${token}`,
      `/api/v1/account/?api_token[]=${token}`,
      `/api/v1/account/?api_token%5B%5D=${token}`,
      `/api/v1/account/?API_TOKEN=${token}`,
      `/api/v1/account/?other=${token}`,
      `/api/v1/account/?other=${encodeURIComponent(token)}`,
      `/api/v1/x;api_token=${token}`,
    ]) {
      const logged = redactedUrl(url);
      assert.ok(!logged.includes(token.slice(4, 20)), `${url} -> ${logged}`);
      assert.ok(logged.startsWith('/api/v1/'), logged);
    }
    assert.equal(redactedUrl('/api/v1/ocr/?format=txt&lang=translated'), '/api/v1/ocr/?format=txt&lang=translated');
    assert.equal(redactedUrl(`/x?api_token=${token}&format=txt`), '/x?api_token=***&format=txt');
  });
});

describe('session cookie parsing', () => {
  it('treats a malformed cookie value as no cookie instead of throwing', () => {
    const req = { headers: { cookie: 'a=1; ocr_session=%E0%A4%A; b=2' } } as Parameters<typeof readCookie>[0];
    assert.equal(readCookie(req, 'ocr_session'), undefined);
    assert.equal(readCookie(req, 'b'), '2');
  });
});

describe('sign-in throttling', () => {
  it('counts attempts as they start, locks after the free failures, and doubles each lockout', () => {
    let now = 0;
    const t = new FailureThrottle({ maxFailures: 3, lockoutMs: 1000, lockoutMaxMs: 4000, forgetMs: 60_000 }, () => now);
    // Three attempts in flight at once use up the allowance; a fourth waits.
    const a = [t.begin('k'), t.begin('k'), t.begin('k')];
    assert.deepEqual(a, [0, 0, 0]);
    assert.ok(t.begin('k') > 0);
    t.fail('k');
    t.fail('k');
    t.fail('k');
    assert.equal(t.begin('k'), 1000, 'locked for the first lockout');
    now = 1000;
    assert.equal(t.begin('k'), 0, 'one attempt after the lockout');
    assert.ok(t.begin('k') > 0, 'only one');
    t.fail('k');
    assert.equal(t.begin('k'), 2000, 'the next lockout is twice as long');
    now = 3000;
    assert.equal(t.begin('k'), 0);
    t.fail('k');
    now = 7000;
    assert.equal(t.begin('k'), 0);
    t.fail('k');
    assert.equal(t.begin('k'), 4000, 'capped at the maximum');
    now = 11_000;
    assert.equal(t.begin('k'), 0);
    t.succeed('k');
    assert.deepEqual([t.begin('k'), t.begin('k'), t.begin('k')], [0, 0, 0], 'a success clears the record');
    // Failures are forgotten after a quiet period.
    const u = new FailureThrottle({ maxFailures: 1, lockoutMs: 1000, lockoutMaxMs: 1000, forgetMs: 10_000 }, () => now);
    u.begin('x');
    u.fail('x');
    now += 1000;
    u.begin('x');
    u.fail('x');
    now += 20_000;
    assert.equal(u.begin('x'), 0);
    u.release('x');
    assert.equal(u.begin('x'), 0, 'a released attempt neither counts nor stays in flight');
  });

  it('limits events per key in a sliding window', () => {
    let now = 0;
    const l = new WindowLimiter(2, 1000, () => now);
    assert.equal(l.take('ip'), 0);
    now = 100;
    assert.equal(l.take('ip'), 0);
    assert.equal(l.take('ip'), 900);
    assert.equal(l.take('other'), 0);
    now = 1000;
    assert.equal(l.take('ip'), 0);
  });

  it('locks an account after the free failures, whatever the password, and answers 429 with a wait', async () => {
    const accounts = accountService(join(dir, 'lock'), 1024, {
      signIn: { maxFailures: 2, ipMaxFailures: 100, lockoutMs: 60_000, lockoutMaxMs: 60_000, forgetMs: 3_600_000 },
      signUp: { perIp: 1, windowMs: 60_000 },
    });
    await accounts.signUp('lock@example.org', 'right password', '192.0.2.1');
    await assert.rejects(accounts.signIn('lock@example.org', 'wrong', '192.0.2.1'), /wrong email or password/);
    await assert.rejects(accounts.signIn('lock@example.org', 'wrong', '192.0.2.2'), /wrong email or password/);
    await assert.rejects(accounts.signIn('lock@example.org', 'right password', '192.0.2.3'), (err: unknown) => {
      assert.ok(err instanceof AppError && err.status === 429);
      assert.ok(Number(err.details['retry_after']) >= 59);
      return true;
    });
    await assert.rejects(accounts.signUp('second@example.org', 'right password', '192.0.2.1'), /too many sign-ups/);
    await accounts.signUp('second@example.org', 'right password', '192.0.2.9');
  });

  it('spends the same scrypt work on an unknown email as on a known one (no enumeration by timing)', async () => {
    const accounts = accountService(join(dir, 'timing'), 16384);
    await accounts.create({ email: 'known@example.org', password: 'right password', plan: 'free' });
    const time = async (email: string) => {
      const started = performance.now();
      await accounts.signIn(email, 'wrong password').catch(() => undefined);
      return performance.now() - started;
    };
    await time('warm@example.org');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await time('known@example.org'));
      unknown.push(await time(`nobody${i}@example.org`));
    }
    // A ratio, not a duration: both sides run one scrypt at the same cost.
    assert.ok(median(unknown) > 0.4 * median(known), `unknown ${median(unknown).toFixed(1)} ms vs known ${median(known).toFixed(1)} ms`);
  });
});

describe('whole-file check at intake', () => {
  it('passes whole files of every checked type and refuses each one cut short', async () => {
    const base = () => sharp({ create: { width: 300, height: 200, channels: 3, background: '#ffffff' } });
    const files: Array<['png' | 'jpeg' | 'webp' | 'tiff', Buffer]> = [
      ['png', await base().png().toBuffer()],
      ['jpeg', await base().jpeg().toBuffer()],
      ['webp', await base().webp().toBuffer()],
      ['tiff', await base().tiff({ compression: 'none' }).toBuffer()],
      ['tiff', await base().tiff({ compression: 'lzw', tile: true, tileWidth: 64, tileHeight: 64 }).toBuffer()],
    ];
    for (const [kind, bytes] of files) {
      const whole = join(dir, `whole.${kind}`);
      writeFileSync(whole, bytes);
      await checkComplete(whole, kind, bytes.length);
      const cut = join(dir, `cut.${kind}`);
      const part = bytes.subarray(0, Math.floor(bytes.length * 0.7));
      writeFileSync(cut, part);
      await assert.rejects(checkComplete(cut, kind, part.length), (err: unknown) => err instanceof AppError && err.status === 400 && err.message === INCOMPLETE_FILE, kind);
    }
  });
});
