import { ownerOf } from '@ocr/auth';
import type { AccountsApi, IngestApi, MeteringApi } from './services';

/**
 * An account and everything of it: its jobs (found through the ledger, which holds every job
 * the owner reserved pages for) with their files, then tokens, sessions and the record.
 * The ledger itself is kept: it is the operator's accounting record.
 */
export async function deleteAccountWithJobs(
  deps: { ingest: IngestApi; accounts: AccountsApi; metering: MeteringApi | null },
  accountId: string,
): Promise<number> {
  const owner = ownerOf({ kind: 'account', accountId });
  let deleted = 0;
  for (const uuid of (await deps.metering?.jobsOf(owner)) ?? []) {
    try {
      const job = await deps.ingest.getOwned(uuid, owner);
      await deps.ingest.delete(job);
      deleted++;
    } catch {
      // Already gone (deleted by the client or by retention).
    }
  }
  await deps.accounts.delete(accountId);
  return deleted;
}
