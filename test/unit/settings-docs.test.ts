import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings, settingsSchema } from '@ocr/config';

describe('settings', () => {
  it('documents every setting in docs/SETTINGS.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/SETTINGS.md'), 'utf8');
    for (const key of Object.keys(settingsSchema.shape)) assert.ok(doc.includes(`\`${key}\``), `${key} undocumented`);
  });

  it('refuses a bad value with a message naming it', () => {
    assert.throws(() => loadSettings({ MAX_UPLOAD_BYTES: 'lots' }), /MAX_UPLOAD_BYTES/);
    assert.throws(() => loadSettings({ OCR_ENGINE: 'gpu' }), /OCR_ENGINE/);
    const s = loadSettings({});
    assert.equal(s.PORT, 8080);
    assert.ok(s.ocrWorkers >= 1);
  });
});
