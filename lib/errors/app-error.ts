/**
 * One error type for the whole app. Domain code throws AppError with a kind; only lib/http turns a
 * kind into an HTTP status and body (a BaRS OperationOutcome on /fhir, JSON for the staff API).
 */
export const ERROR_KINDS = {
  // 400 REC_BAD_REQUEST — the sender's message or request is wrong
  invalid: { status: 400, recCode: 'REC_BAD_REQUEST', issueCode: 'invalid' },
  required: { status: 400, recCode: 'REC_BAD_REQUEST', issueCode: 'required' },
  value: { status: 400, recCode: 'REC_BAD_REQUEST', issueCode: 'value' },
  invariant: { status: 400, recCode: 'REC_BAD_REQUEST', issueCode: 'invariant' },
  structure: { status: 400, recCode: 'REC_BAD_REQUEST', issueCode: 'structure' },
  'bad-request-not-supported': { status: 400, recCode: 'REC_BAD_REQUEST', issueCode: 'not-supported' },
  unauthorized: { status: 401, recCode: 'REC_UNAUTHORIZED', issueCode: 'forbidden' },
  'not-found': { status: 404, recCode: 'REC_NOT_FOUND', issueCode: 'not-found' },
  'method-not-allowed': { status: 405, recCode: 'REC_METHOD_NOT_ALLOWED', issueCode: 'not-supported' },
  'not-acceptable': { status: 406, recCode: 'REC_NOT_ACCEPTABLE', issueCode: 'processing' },
  timeout: { status: 408, recCode: 'REC_TIMEOUT', issueCode: 'timeout' },
  duplicate: { status: 409, recCode: 'REC_CONFLICT', issueCode: 'duplicate' },
  conflict: { status: 409, recCode: 'REC_CONFLICT', issueCode: 'conflict' },
  'payload-too-large': { status: 413, recCode: 'REC_BAD_REQUEST', issueCode: 'too-long' },
  'unsupported-media-type': { status: 415, recCode: 'REC_UNSUPPORTED_MEDIA_TYPE', issueCode: 'not-supported' },
  'not-supported': { status: 422, recCode: 'REC_UNPROCESSABLE_ENTITY', issueCode: 'not-supported' },
  'too-costly': { status: 422, recCode: 'REC_UNPROCESSABLE_ENTITY', issueCode: 'too-costly' },
  'too-early': { status: 425, recCode: 'REC_TOO_EARLY', issueCode: 'duplicate' },
  throttled: { status: 429, recCode: 'REC_TOO_MANY_REQUESTS', issueCode: 'throttled' },
  'server-error': { status: 500, recCode: 'REC_SERVER_ERROR', issueCode: 'exception' },
  'not-implemented': { status: 501, recCode: 'REC_NOT_IMPLEMENTED', issueCode: 'not-supported' },
  unavailable: { status: 503, recCode: 'REC_UNAVAILABLE', issueCode: 'transient' },
  // staff-facing only (never used on /fhir: the BaRS proxy rewrites any 403)
  unauthenticated: { status: 401, recCode: 'REC_UNAUTHORIZED', issueCode: 'login' },
  forbidden: { status: 403, recCode: 'REC_FORBIDDEN', issueCode: 'forbidden' },
  'stale-version': { status: 409, recCode: 'REC_CONFLICT', issueCode: 'conflict' },
} as const satisfies Record<string, { status: number; recCode: string; issueCode: string }>

export type TErrorKind = keyof typeof ERROR_KINDS

export class AppError extends Error {
  readonly kind: TErrorKind
  /** FHIRPath(s) of the offending element, for OperationOutcome.issue.expression. */
  readonly expression?: string[]
  /** Extra response headers (e.g. Allow on 405). */
  readonly headers?: Record<string, string>

  /** message must be safe to show a sender: concise, technical, no patient data. */
  constructor(kind: TErrorKind, message: string, opts: { expression?: string | string[]; headers?: Record<string, string> } = {}) {
    super(message)
    this.name = 'AppError'
    this.kind = kind
    if (opts.expression) this.expression = Array.isArray(opts.expression) ? opts.expression : [opts.expression]
    if (opts.headers) this.headers = opts.headers
  }

  get status(): number {
    return ERROR_KINDS[this.kind].status
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}

/** A retry of a message that failed: answered with the original failure, verbatim (spec §7). */
export class ReplayedFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('replayed failure')
    this.name = 'ReplayedFailure'
  }
}
