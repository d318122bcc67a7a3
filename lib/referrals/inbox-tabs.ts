import type { TReferralState } from '@/lib/bars/referral-state'

/**
 * The worklist's tabs and orders (pure: shared by the use case and the browser, so it must not
 * import a repository). Tabs where the decision is made show no countdown and sort by decision
 * time (issue 11, finding 12).
 */
export const DECIDED_STATES: readonly TReferralState[] = ['ACCEPTED', 'REJECTED', 'DID_NOT_ATTEND', 'CANCELLED', 'ARRIVED']

export type TInboxSort = 'deadline' | 'name' | 'received' | 'decided'
export type TSortDirection = 'asc' | 'desc'
export const INBOX_SORTS: readonly TInboxSort[] = ['deadline', 'name', 'received', 'decided']
