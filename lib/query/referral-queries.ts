import { keepPreviousData, queryOptions } from '@tanstack/react-query'
import type { TInboxData, TInboxQuery } from '@/lib/referrals/list-inbox'
import type { TReferralActivity } from '@/lib/referrals/get-referral-activity'
import type { TOutboxRow } from '@/lib/outbox/list-outbox'
import { apiFetch } from './api-client'

/** Query keys and fetchers of the staff screens, in one place (components never build keys inline). */
export const referralKeys = {
  all: ['referrals'] as const,
  list: (q: TInboxQuery) => ['referrals', 'list', q] as const,
  activity: (id: string) => ['referrals', 'activity', id] as const,
  windows: (id: string) => ['referrals', 'windows', id] as const,
}

function search(q: TInboxQuery): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v)
  const s = p.toString()
  return s ? `?${s}` : ''
}

export function inboxQuery(q: TInboxQuery) {
  return queryOptions({
    queryKey: referralKeys.list(q),
    queryFn: ({ signal }) => apiFetch<TInboxData>(`/api/referrals${search(q)}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })
}

export function activityQuery(id: string) {
  return queryOptions({
    queryKey: referralKeys.activity(id),
    queryFn: ({ signal }) => apiFetch<TReferralActivity>(`/api/referrals/${id}`, { signal }),
    staleTime: 30_000,
    // A failed delivery attempt publishes no live event, so while a response waits, look again
    // every 10 s: a stuck response must show without a reload (issue 11, finding 7).
    refetchInterval: (q) => (q.state.data?.responses.some((r) => r.status === 'PENDING') ? 10_000 : false),
  })
}

export function windowsQuery(id: string) {
  return queryOptions({
    queryKey: referralKeys.windows(id),
    queryFn: ({ signal }) => apiFetch<{ windows: { id: string; start: string; end: string; free: number; afterDeadline: boolean }[] }>(`/api/referrals/${id}/windows`, { signal }),
    staleTime: 5_000,
  })
}

export const outboxKeys = { all: ['outbox'] as const }

export function outboxQuery() {
  return queryOptions({
    queryKey: outboxKeys.all,
    queryFn: ({ signal }) => apiFetch<{ messages: TOutboxRow[] }>('/api/outbox', { signal }),
    refetchInterval: 5_000,
  })
}
