import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTokenStore } from '@ocr/adapters-embedded';
import { extractToken, hashToken, ownerOf, TokenService } from '@ocr/auth';

const dir = mkdtempSync(join(tmpdir(), 'ocr-auth-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('API tokens', () => {
  it('stores only the hash, authenticates the token and rejects anything else', async () => {
    const store = new FileTokenStore(join(dir, 'tokens'));
    const tokens = new TokenService(store);
    const issued = await tokens.issue('acct-1', 'laptop');
    const files = readdirSync(join(dir, 'tokens'));
    assert.deepEqual(files, [`${hashToken(issued.token)}.json`]);
    assert.ok(!readFileSync(join(dir, 'tokens', files[0]!), 'utf8').includes(issued.token));
    assert.equal(await tokens.authenticate(issued.token), 'acct-1');
    await assert.rejects(tokens.authenticate(issued.token + 'x'), /invalid API token/);
    await assert.rejects(tokens.authenticate(''), /invalid API token/);
    assert.equal((await store.listByAccount('acct-1'))[0]?.prefix, issued.token.slice(0, 12));
  });

  it('reads the token from the header or the query, and treats a malformed header as a wrong token', () => {
    assert.equal(extractToken('Bearer abc', undefined), 'abc');
    assert.equal(extractToken('bearer   abc ', undefined), 'abc');
    assert.equal(extractToken(undefined, 'q'), 'q');
    assert.equal(extractToken(undefined, undefined), undefined);
    assert.equal(extractToken('Basic xyz', undefined), '');
    assert.equal(extractToken(undefined, ['a', 'b']), '');
  });

  it('separates owners by account and anonymous IP', () => {
    assert.equal(ownerOf({ kind: 'account', accountId: 'a' }), 'acct:a');
    assert.equal(ownerOf({ kind: 'anonymous', ip: '1.2.3.4' }), 'anon:1.2.3.4');
  });
});
