/**
 * P9.notice the job that tells every person of a material change of the privacy policy: the
 * open accounts in id order, 10,000 at a time, each batch one transaction of notices (the
 * notify module skips whoever already has it, so a retried run picks up where it stopped).
 * Here, not in the policy module, because it joins three owners: accounts, policy, notify.
 */
import type { Database } from './kernel/db/index.ts';
import { openAccountsAfter } from './modules/account/index.ts';
import type { NotifyService } from './modules/notify/index.ts';
import type { NoticeJob, PolicyVersions } from './modules/policy/index.ts';

const BATCH = 10_000;

export async function tellEveryone(
  db: Database,
  notify: Pick<NotifyService, 'fanOut'>,
  versions: Pick<PolicyVersions, 'get'>,
  owed: NoticeJob,
): Promise<{ people: number }> {
  const v = await versions.get(owed.version);
  if (!v?.effectiveFrom || !v.material) return { people: 0 };
  // The date as China Standard Time reads it.
  const effective = new Date(v.effectiveFrom.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  let after: string | null = null;
  let people = 0;
  for (;;) {
    const ids = await openAccountsAfter(db, after, BATCH);
    if (ids.length === 0) return { people };
    await db.tx((q) =>
      notify.fanOut(
        q,
        {
          key: `policy:${owed.documentId}:${owed.version}`,
          template: 'policy-change',
          params: { version: v.version, effective },
        },
        ids,
      ),
    );
    people += ids.length;
    after = ids.at(-1)!;
  }
}
