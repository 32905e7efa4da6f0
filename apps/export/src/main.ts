import { loadSettings } from '@ocr/config';
import { assertClusterAdapters } from '@ocr/runtime';

// The export service: export composition over the cluster adapters. Only the embedded adapters exist so far,
// so it explains itself and exits rather than running with state no other service can see.
try {
  assertClusterAdapters('export', loadSettings());
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
}
