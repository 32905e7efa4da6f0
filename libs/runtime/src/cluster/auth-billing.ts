import { mkdir } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Settings } from '@ocr/config';
import { inProcessMetering } from '@ocr/app';
import { authBillingHandlers } from '@ocr/transport-grpc';
import { openAccountsFor } from '../accounts';
import { answers, checkAll, serveGrpcService, type RunningService } from './common';

/**
 * auth-billing: tokens, accounts, sessions and the ledger. It is the single writer of the ledger
 * (reservations are checked and held one at a time in this process), so it runs as one replica;
 * every gateway asks it, none decides a 402 itself.
 */
export async function startAuthBilling(settings: Settings, log: Logger): Promise<RunningService> {
  await mkdir(settings.dataDir, { recursive: true });
  const accounts = await openAccountsFor(settings);
  const metering = settings.METERING ? inProcessMetering(accounts.meter, accounts.plans) : null;
  return serveGrpcService(
    settings,
    log,
    (server) => server.add('AuthBilling', authBillingHandlers({ identity: accounts.tokens, accounts: accounts.accounts, metering }, log)),
    () =>
      checkAll({
        accounts: () => answers(() => accounts.accounts.get('operator')),
        ledger: () => answers(() => accounts.meter.owners()),
      }),
    () => accounts.meter.close(),
  );
}
