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

/** Rows in one page of the worklist; "Show more" asks for another page. */
export const INBOX_PAGE = 50
/** The most rows one answer holds (search or filter to narrow a longer list). */
export const INBOX_MAX_ROWS = 1000

/** The rows asked for: INBOX_PAGE, or `show` rounded up to a page, at most INBOX_MAX_ROWS. */
export function inboxLimit(show: string | undefined): number {
  const n = show && /^\d{1,5}$/.test(show) ? Number(show) : INBOX_PAGE
  return Math.min(INBOX_MAX_ROWS, Math.max(INBOX_PAGE, Math.ceil(n / INBOX_PAGE) * INBOX_PAGE))
}
