import { describe, expect, it } from 'vitest'
import { backoffMs, decide, type TRetryPolicy } from './retry-policy'

const policy: TRetryPolicy = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 5 }

describe('outbox retry policy', () => {
  it('backs off exponentially up to the cap', () => {
    expect([1, 2, 3, 4, 8].map((n) => backoffMs(n, policy))).toEqual([1000, 2000, 4000, 8000, 60_000])
  })

  it('treats 2xx and 409 duplicate as delivered', () => {
    expect(decide({ status: 200, outcomeCodes: [] }, 1, policy).kind).toBe('delivered')
    expect(decide({ status: 409, outcomeCodes: ['duplicate'] }, 1, policy).kind).toBe('delivered')
  })

  it('retries 408, 429, 5xx and network errors with back-off', () => {
    for (const status of [408, 429, 500, 502, 503]) expect(decide({ status, outcomeCodes: [] }, 2, policy)).toMatchObject({ kind: 'retry', delayMs: 2000 })
    expect(decide({ networkError: 'ECONNREFUSED' }, 3, policy)).toMatchObject({ kind: 'retry', delayMs: 4000 })
  })

  it('dead-letters other 4xx (including 409 conflict) at once', () => {
    for (const [status, codes] of [[400, ['invalid']], [404, []], [409, ['conflict']], [422, []]] as const) {
      expect(decide({ status, outcomeCodes: [...codes] }, 1, policy).kind).toBe('dead')
    }
  })

  it('gives up after the last attempt', () => {
    expect(decide({ status: 503, outcomeCodes: [] }, 5, policy)).toMatchObject({ kind: 'dead' })
  })
})
