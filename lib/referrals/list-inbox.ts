import { referralQueries, type TInboxRow } from './referral-repository'

export type { TInboxRow }

export async function listInbox(): Promise<TInboxRow[]> {
  return referralQueries.listInbox()
}
