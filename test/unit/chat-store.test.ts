import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NedbChatStore } from '@ocr/adapters-embedded';
import type { ChatMessage } from '@ocr/domain';

const msg = (role: ChatMessage['role'], content: string): ChatMessage => ({ role, content, created_at: new Date().toISOString() });

describe('ChatStore (embedded NeDB)', () => {
  it('creates one conversation per job on first append, appends in order, survives reopening, deletes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-store-'));
    const store = await NedbChatStore.open(dir);
    assert.equal(await store.get('job-1'), null);
    // Concurrent first questions must not create two conversations.
    const [a, b] = await Promise.all([
      store.append('job-1', 'acct:a', [msg('user', 'q1'), msg('assistant', 'a1')]),
      store.append('job-1', 'acct:a', [msg('user', 'q2'), msg('assistant', 'a2')]),
    ]);
    assert.equal(a.conversation, b.conversation);
    await store.close();
    const reopened = await NedbChatStore.open(dir);
    const got = await reopened.get('job-1');
    assert.deepEqual(got?.messages.map((m) => m.content), ['q1', 'a1', 'q2', 'a2']);
    assert.equal(got?.owner, 'acct:a');
    await reopened.delete('job-1');
    assert.equal(await reopened.get('job-1'), null);
    await reopened.close();
  });
});
