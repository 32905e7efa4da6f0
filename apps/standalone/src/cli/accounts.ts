import { loadSettings } from '@ocr/config';
import { accountOwner, ACCOUNT_PLANS, openAccountsFor, type PlanName } from '@ocr/runtime';

const USAGE = `usage: node apps/standalone/dist/cli/accounts.js <command>
  create <email> [--password <p>] [--plan free|paid|operator] [--token]   new account (prints its id; --token: a token as the last line)
  grant <account-id|email> <credits> [note]                               add purchased credits (negative: a correction)
  plan <account-id|email> <free|paid|operator>                            change the plan
  usage [account-id|email]                                                allowance and pages per day and tier (all accounts without one)
  list                                                                    accounts
  ledger <account-id|email>                                               every ledger entry of the account`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function planArg(value: string | undefined): PlanName {
  if (!value || !ACCOUNT_PLANS.includes(value as PlanName)) throw new Error(`plan must be one of ${ACCOUNT_PLANS.join(', ')}`);
  return value as PlanName;
}

/** Operator commands on the same files the service uses; safe while the service runs. */
async function main(): Promise<void> {
  const settings = loadSettings();
  const { accounts, meter, plans } = await openAccountsFor(settings);
  const [command, ...args] = process.argv.slice(2);
  const out = (line: string) => process.stdout.write(`${line}\n`);

  switch (command) {
    case 'create': {
      const email = args[0];
      if (!email?.includes('@')) throw new Error('create needs an email');
      const account = await accounts.create({ email, password: option(args, '--password') ?? null, plan: planArg(option(args, '--plan') ?? 'free') });
      out(`account ${account.id} (${account.email}, plan ${account.plan})`);
      if (args.includes('--token')) out((await accounts.issueToken(account.id, 'cli')).token);
      return;
    }
    case 'grant': {
      const [ref, amount, ...note] = args;
      const credits = Number(amount);
      if (!ref || !Number.isInteger(credits) || credits === 0) throw new Error('grant needs an account and a whole, non-zero number of credits');
      const account = await accounts.findByEmailOrId(ref);
      await meter.grant(accountOwner(account.id), credits, note.join(' ') || null);
      const a = await meter.allowance(accountOwner(account.id), plans.paid);
      out(`granted ${credits} credits to ${account.id}; credit balance ${a.remaining} (plan ${account.plan})`);
      return;
    }
    case 'plan': {
      const account = await accounts.findByEmailOrId(args[0] ?? '');
      const updated = await accounts.changePlan(account.id, planArg(args[1]));
      out(`${updated.id}: plan ${updated.plan}`);
      return;
    }
    case 'list': {
      for (const a of await accounts.list()) out(`${a.id}\t${a.email ?? '-'}\t${a.plan}\t${a.created_at}`);
      return;
    }
    case 'usage': {
      const list = args[0] ? [await accounts.findByEmailOrId(args[0])] : await accounts.list();
      for (const account of list) {
        const owner = accountOwner(account.id);
        const a = await meter.allowance(owner, plans[account.plan]);
        out(`${account.id} (${account.email ?? '-'}, ${account.plan}): used ${a.used} of ${a.cap ?? 'unlimited'} ${a.limit}, remaining ${a.remaining ?? 'unlimited'}`);
        for (const d of await meter.usage(owner)) out(`  ${d.day}  ${d.tier}  ${d.pages} pages  ${d.credits} credits`);
      }
      return;
    }
    case 'ledger': {
      const account = await accounts.findByEmailOrId(args[0] ?? '');
      for (const e of await meter.entries(accountOwner(account.id))) {
        out(`${e.at}  ${e.kind.padEnd(7)} ${String(e.credits).padStart(6)}  ${e.bucket}  ${e.job_uuid ?? ''} ${e.note ?? ''}`.trimEnd());
      }
      return;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      process.exit(command ? 2 : 0);
  }
}

// Exit when done: a MongoDB connection (JOB_STORE=mongodb) would keep the process alive.
main().then(() => process.exit(0)).catch((err: unknown) => {
  process.stderr.write(`accounts: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
