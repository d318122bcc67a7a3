import { keepPreviousData, queryOptions } from '@tanstack/react-query'
import type { TPharmacyQuery, TPharmacyWorklist } from '@/lib/pharmacy/list-pharmacy-worklist'
import type { TPharmacyView } from '@/lib/pharmacy/view-pharmacy-referral'
import { apiFetch } from './api-client'

/** Query keys and fetchers of the pharmacist's screens. */
export const pharmacyKeys = {
  all: ['pharmacy'] as const,
  list: (q: TPharmacyQuery) => ['pharmacy', 'list', q] as const,
  referral: (id: string) => ['pharmacy', 'referral', id] as const,
}

export function pharmacyWorklistQuery(q: TPharmacyQuery) {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v)
  return queryOptions({
    queryKey: pharmacyKeys.list(q),
    queryFn: ({ signal }) => apiFetch<TPharmacyWorklist>(`/api/pharmacy/referrals${p.size ? `?${p}` : ''}`, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })
}

export function pharmacyReferralQuery(id: string) {
  return queryOptions({
    queryKey: pharmacyKeys.referral(id),
    queryFn: ({ signal }) => apiFetch<TPharmacyView>(`/api/pharmacy/referrals/${id}`, { signal }),
    staleTime: 30_000,
  })
}
