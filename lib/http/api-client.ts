/**
 * Browser-side calls to the staff JSON API (app/api/**). Same-origin fetch: the browser sends the
 * Origin header that lib/http/with-route checks for CSRF. Errors come back as ApiError with the
 * field issues of a 400.
 */
export interface TFieldIssue {
  path: string
  message: string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues: TFieldIssue[] = [],
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export async function apiFetch<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const data = (await res.json().catch(() => ({}))) as { message?: string; issues?: TFieldIssue[] }
  if (!res.ok) {
    if (res.status === 401) throw new ApiError(401, 'Your session has ended. Sign in again.')
    throw new ApiError(res.status, data.message ?? 'Something went wrong. Try again.', data.issues ?? [])
  }
  return data as T
}
