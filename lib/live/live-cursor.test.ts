import { describe, expect, it } from 'vitest'
import { cursorAfter, formatCursor, parseCursor } from './live-cursor'

describe('live-event cursor', () => {
  it('round-trips txid.id', () => {
    const c = { txid: BigInt(981234), id: BigInt(42) }
    expect(parseCursor(formatCursor(c))).toEqual(c)
  })

  it('refuses what we did not issue: a plain id from before, junk, values beyond bigint', () => {
    for (const t of ['42', '', 'a.b', '1.2.3', '-1.2', '1.', `${BigInt(1) << BigInt(63)}.1`, null, undefined]) expect(parseCursor(t), String(t)).toBeNull()
  })

  it('orders by transaction first, then id (a lower id in a later transaction comes after)', () => {
    const p = (s: string) => parseCursor(s)!
    expect(cursorAfter(p('101.5'), p('100.9'))).toBe(true)
    expect(cursorAfter(p('100.9'), p('101.5'))).toBe(false)
    expect(cursorAfter(p('100.10'), p('100.9'))).toBe(true)
    expect(cursorAfter(p('100.9'), p('100.9'))).toBe(false)
  })
})
