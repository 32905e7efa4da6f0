import { loadSettings } from '@ocr/config';
import { issueTokenThroughAuthBilling } from '@ocr/runtime';

/**
 * `make token` for the cluster: asks the running auth-billing (AUTH_BILLING_GRPC_URL) for a new
 * token and prints it as the last line. Arguments: [token name] [account id].
 */
async function main(): Promise<void> {
  const settings = loadSettings();
  const [name = 'cli', account] = process.argv.slice(2);
  const issued = await issueTokenThroughAuthBilling(settings, name, account);
  process.stdout.write(`token for account '${issued.accountId}' (name '${issued.name}', auth-billing at ${settings.AUTH_BILLING_GRPC_URL}):\n`);
  process.stdout.write(`${issued.token}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`make token failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
