/**
 * The one browser-side client of the staff JSON API (app/api/**, wrapped by lib/http/with-route.ts).
 * Same-origin fetch: the browser sends the Origin header the wrapper checks for CSRF. Errors come
 * back as { error: kind, message, issues? } and are thrown as ApiError.
 */
export interface TFieldIssue {
  path: string
  message: string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** The AppError kind (e.g. 'conflict', 'stale-version', 'invalid'). */
    readonly kind: string,
    message: string,
    readonly issues: TFieldIssue[] = [],
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** The form field the first problem is about, when the server named one. */
  get field(): string | undefined {
    return this.issues[0]?.path || undefined
  }
}

export async function apiFetch<T>(url: string, init: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
    credentials: 'same-origin',
    cache: 'no-store',
  })
  const data = (await res.json().catch(() => null)) as (T & { error?: string; message?: string; issues?: TFieldIssue[] }) | null
  if (!res.ok) {
    if (res.status === 401) throw new ApiError(401, 'unauthenticated', 'Your session has ended. Sign in again.')
    throw new ApiError(res.status, data?.error ?? 'server-error', data?.message ?? 'Something went wrong. Try again.', data?.issues ?? [])
  }
  return data as T
}
