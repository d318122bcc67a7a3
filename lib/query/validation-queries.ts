import { queryOptions } from '@tanstack/react-query'
import type { TValidationQueue } from '@/lib/validations/list-validations'
import type { TValidationView } from '@/lib/validations/view-validation'
import { apiFetch } from './api-client'

/** Query keys and fetchers of the CAS validation screens (App 4). */
export const validationKeys = {
  all: ['validations'] as const,
  queue: () => ['validations', 'queue'] as const,
  detail: (id: string) => ['validations', 'detail', id] as const,
}

export function validationQueueQuery() {
  return queryOptions({
    queryKey: validationKeys.queue(),
    queryFn: ({ signal }) => apiFetch<TValidationQueue>('/api/validations', { signal }),
    staleTime: 30_000,
  })
}

export function validationQuery(id: string) {
  return queryOptions({
    queryKey: validationKeys.detail(id),
    queryFn: ({ signal }) => apiFetch<TValidationView>(`/api/validations/${id}`, { signal }),
    staleTime: 30_000,
  })
}
