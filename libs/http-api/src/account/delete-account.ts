import { ownerOf } from '@ocr/auth';
import type { Platform } from '../platform';

/**
 * An account and everything of it: its jobs (found through the ledger, which holds every job
 * the owner reserved pages for) with their files, then tokens, sessions and the record.
 * The ledger itself is kept: it is the operator's accounting record.
 */
export async function deleteAccountWithJobs(platform: Pick<Platform, 'jobs' | 'accounts' | 'metering'>, accountId: string): Promise<number> {
  const owner = ownerOf({ kind: 'account', accountId });
  let deleted = 0;
  for (const uuid of (await platform.metering?.jobsOf(owner)) ?? []) {
    try {
      const job = await platform.jobs.getOwned(uuid, owner);
      await platform.jobs.delete(job);
      deleted++;
    } catch {
      // Already gone (deleted by the client or by retention).
    }
  }
  await platform.accounts.delete(accountId);
  return deleted;
}
