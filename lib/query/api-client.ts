/** fetch for the staff JSON API: parses JSON, turns { error } bodies into ApiError. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly kind: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export async function apiFetch<T>(url: string, init?: { method?: string; body?: unknown; signal?: AbortSignal }): Promise<T> {
  const res = await fetch(url, {
    method: init?.method ?? 'GET',
    headers: init?.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init?.signal,
    credentials: 'same-origin',
  })
  // Staff API errors are { error: kind, message } (lib/http/with-route.ts).
  const data = (await res.json().catch(() => null)) as (T & { error?: string; message?: string }) | null
  if (!res.ok) {
    throw new ApiError(res.status, data?.error ?? 'server-error', data?.message ?? 'Something went wrong. Try again.')
  }
  return data as T
}
