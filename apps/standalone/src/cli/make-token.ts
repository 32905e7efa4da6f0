import { loadSettings } from '@ocr/config';
import { issueOperatorToken } from '@ocr/runtime';

/** `make token`: prints a new working API token as the last line of output. */
async function main(): Promise<void> {
  const settings = loadSettings();
  const name = process.argv[2] ?? 'cli';
  const issued = await issueOperatorToken(settings, name);
  process.stdout.write(`token for account '${issued.accountId}' (name '${issued.name}', data dir ${settings.dataDir}):\n`);
  process.stdout.write(`${issued.token}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`make token failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
