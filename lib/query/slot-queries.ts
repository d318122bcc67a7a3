/**
 * TanStack Query factories for the desk screens (slots and bookings). Components use these and never
 * build query keys themselves; every change invalidates slotQueries.all.
 */
import { queryOptions } from '@tanstack/react-query'
import { apiFetch } from './api-client'
import type { TBookingView, TOverrideView, TSlotBoard, TSlotWindowView, TTemplateView } from '@/lib/slots/slot-views'

export { ApiError } from './api-client'

export const getJson = <T>(url: string) => apiFetch<T>(url)
export const sendJson = <T = unknown>(method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => apiFetch<T>(url, { method, body })

const qs = (p: Record<string, string>) => new URLSearchParams(p).toString()

export const slotQueries = {
  all: ['slots'] as const,
  board: (serviceId: string, date: string, view: 'day' | 'week') =>
    queryOptions({
      queryKey: ['slots', 'board', serviceId, date, view] as const,
      queryFn: () => getJson<TSlotBoard>(`/api/slots/board?${qs({ serviceId, date, view })}`),
      staleTime: 5_000,
    }),
  window: (slotId: string) =>
    queryOptions({ queryKey: ['slots', 'window', slotId] as const, queryFn: () => getJson<TSlotWindowView>(`/api/slots/windows/${encodeURIComponent(slotId)}`) }),
  booking: (bookingId: string) =>
    queryOptions({ queryKey: ['slots', 'booking', bookingId] as const, queryFn: () => getJson<TBookingView>(`/api/slots/bookings/${encodeURIComponent(bookingId)}`) }),
  templates: (serviceId: string) =>
    queryOptions({ queryKey: ['slots', 'templates', serviceId] as const, queryFn: () => getJson<TTemplateView[]>(`/api/slots/templates?${qs({ serviceId })}`) }),
  template: (templateId: string) =>
    queryOptions({ queryKey: ['slots', 'template', templateId] as const, queryFn: () => getJson<TTemplateView & { serviceId: string }>(`/api/slots/templates/${encodeURIComponent(templateId)}`) }),
  overrides: (serviceId: string) =>
    queryOptions({ queryKey: ['slots', 'overrides', serviceId] as const, queryFn: () => getJson<TOverrideView[]>(`/api/slots/overrides?${qs({ serviceId })}`) }),
}
