import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@ocr/domain';
import { TokenService } from '@ocr/auth';
import { AccountService } from '@ocr/accounts';
import { FileAccountStore, FileSessionStore, RevocableFileTokenStore } from '@ocr/adapters-embedded';

const dir = mkdtempSync(join(tmpdir(), 'ocr-accounts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function service(clock?: () => Date) {
  const root = join(dir, `svc-${n++}`);
  const tokenStore = new RevocableFileTokenStore(join(root, 'tokens'));
  const tokens = new TokenService(tokenStore);
  const accounts = new AccountService(
    new FileAccountStore(join(root, 'accounts')),
    new FileSessionStore(join(root, 'sessions')),
    tokenStore,
    tokens,
    { sessionHours: 1, scryptN: 1024 },
    clock,
  );
  return { accounts, tokens, root };
}

describe('accounts, sessions and tokens', () => {
  it('lets exactly one of ten concurrent sign-ups with one email win', async () => {
    const { accounts } = service();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => accounts.create({ email: 'Same@Example.org', password: 'password1', plan: 'free' })),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      assert.ok(r.reason instanceof AppError && r.reason.code === 'email_taken' && r.reason.status === 409);
    }
    assert.equal((await accounts.list()).length, 1);
    assert.equal((await accounts.findByEmailOrId('same@example.org')).email, 'same@example.org');
  });

  it('signs in with the right password only, never storing it or the session cookie in the clear', async () => {
    const { accounts, root } = service();
    const account = await accounts.create({ email: 'ann@example.org', password: 'correct horse', plan: 'free' });
    await assert.rejects(accounts.signIn('ann@example.org', 'wrong horse'), /wrong email or password/);
    await assert.rejects(accounts.signIn('nobody@example.org', 'correct horse'), /wrong email or password/);
    const { session } = await accounts.signIn('ANN@example.org', 'correct horse');
    assert.equal((await accounts.sessionAccount(session))?.id, account.id);
    const stored = readdirSync(join(root, 'sessions')).map((f) => readFileSync(join(root, 'sessions', f), 'utf8')).join('');
    assert.ok(!stored.includes(session));
    assert.ok(!readFileSync(join(root, 'accounts', `${account.id}.json`), 'utf8').includes('correct horse'));
    await accounts.signOut(session);
    assert.equal(await accounts.sessionAccount(session), null);
  });

  it('expires sessions after SESSION_HOURS (clock injected)', async () => {
    let now = new Date('2026-05-01T10:00:00Z');
    const { accounts } = service(() => now);
    const account = await accounts.create({ email: 'exp@example.org', password: 'password1', plan: 'free' });
    const session = await accounts.openSession(account.id);
    now = new Date('2026-05-01T10:59:00Z');
    assert.equal((await accounts.sessionAccount(session))?.id, account.id);
    now = new Date('2026-05-01T11:00:01Z');
    assert.equal(await accounts.sessionAccount(session), null);
  });

  it('issues several named tokens, lists them by prefix, revokes one (401) and removes all with the account', async () => {
    const { accounts, tokens } = service();
    const account = await accounts.create({ email: 'tok@example.org', password: null, plan: 'paid' });
    const a = await accounts.issueToken(account.id, 'laptop');
    const b = await accounts.issueToken(account.id, 'ci');
    const listed = await accounts.listTokens(account.id);
    assert.deepEqual(listed.map((t) => t.name).sort(), ['ci', 'laptop']);
    assert.ok(listed.every((t) => !JSON.stringify(t).includes(a.token) && !JSON.stringify(t).includes(b.token)));
    await accounts.revokeToken(account.id, listed.find((t) => t.name === 'laptop')!.id);
    await assert.rejects(tokens.authenticate(a.token), (e: AppError) => e.status === 401);
    assert.equal(await tokens.authenticate(b.token), account.id);
    await assert.rejects(accounts.revokeToken('someone-else', listed[0]!.id), (e: AppError) => e.status === 404);
    await accounts.delete(account.id);
    await assert.rejects(tokens.authenticate(b.token), (e: AppError) => e.status === 401);
    assert.equal(await accounts.get(account.id), null);
  });
});
