/**
 * TanStack Query factories for the desk screens (slots and bookings). Components use these and never
 * build query keys themselves; every change invalidates slotQueries.all.
 */
import { queryOptions } from '@tanstack/react-query'
import type { TBookingView, TOverrideView, TSlotBoard, TSlotWindowView, TTemplateView } from '@/lib/slots/slot-views'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  })
  const data = (await res.json().catch(() => ({}))) as { error?: string; field?: string }
  if (!res.ok) throw new ApiError(res.status, data.error ?? 'Something went wrong. Try again.', data.field)
  return data as T
}

export const getJson = <T>(url: string) => request<T>('GET', url)
export const sendJson = <T = unknown>(method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) => request<T>(method, url, body)

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
