import { describe, expect, it } from 'vitest'
import { allowedActions, isRejectedReason, nextState, REFERRAL_STATES } from './referral-state'

describe('referral state machine', () => {
  it('accepts only new (or sender-booked) referrals', () => {
    expect(nextState('NEW', 'accept')).toBe('ACCEPTED')
    expect(nextState('BOOKED', 'accept')).toBe('ACCEPTED')
    expect(nextState('ACCEPTED', 'accept')).toBeUndefined()
    expect(nextState('REJECTED', 'accept')).toBeUndefined()
  })

  it('never leaves the closed states by a clinician action', () => {
    for (const closed of ['REJECTED', 'ARRIVED', 'CANCELLED'] as const) expect(allowedActions(closed)).toEqual([])
  })

  it('marks did-not-attend only after acceptance or booking', () => {
    expect(nextState('NEW', 'dna')).toBeUndefined()
    expect(nextState('ACCEPTED', 'dna')).toBe('DID_NOT_ATTEND')
    expect(nextState('BOOKED', 'dna')).toBe('DID_NOT_ATTEND')
  })

  it('lets a did-not-attend patient be booked into another window, and nothing else', () => {
    expect(allowedActions('DID_NOT_ATTEND')).toEqual(['rebook'])
  })

  it('refuses every action on a referral the sender revoked', () => {
    for (const s of REFERRAL_STATES) expect(allowedActions(s, 'revoked')).toEqual([])
  })

  it('knows the rejected-reasons-bars codes', () => {
    expect(['RRNA', 'FC', 'OTH'].every(isRejectedReason)).toBe(true)
    expect(isRejectedReason('XYZ')).toBe(false)
    expect(isRejectedReason('toString')).toBe(false)
  })
})
