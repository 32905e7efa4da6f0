import { loadSettings } from '@ocr/config';
import { issueOperatorToken } from '@ocr/runtime';

/**
 * `make token`: prints a new working API token as the last line of output.
 * Arguments: [token name] [account id] (the operator's account by default).
 */
async function main(): Promise<void> {
  const settings = loadSettings();
  const [name = 'cli', account] = process.argv.slice(2);
  const issued = await issueOperatorToken(settings, name, account);
  process.stdout.write(`token for account '${issued.accountId}' (name '${issued.name}', data dir ${settings.dataDir}):\n`);
  process.stdout.write(`${issued.token}\n`);
}

// Exit when done: a MongoDB connection (JOB_STORE=mongodb) would keep the process alive.
main().then(() => process.exit(0)).catch((err: unknown) => {
  process.stderr.write(`make token failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
