import { describe, expect, it } from 'vitest'
import { timeLeft } from './countdown'

const NOW = Date.parse('2026-03-04T10:00:00Z')

describe('timeLeft', () => {
  it('is red inside the red threshold and when overdue, amber inside the amber one', () => {
    expect(timeLeft('2026-03-04T10:10:00Z', NOW, 60, 15)).toEqual({ text: '10 min left', urgency: 'red', minutes: 10 })
    expect(timeLeft('2026-03-04T10:45:00Z', NOW, 60, 15)).toMatchObject({ urgency: 'amber' })
    expect(timeLeft('2026-03-04T12:05:00Z', NOW, 60, 15)).toMatchObject({ text: '2 h 5 min left', urgency: 'normal' })
    expect(timeLeft('2026-03-04T09:55:00Z', NOW, 60, 15)).toMatchObject({ text: 'Overdue by 5 min', urgency: 'red' })
  })

  it('uses each service’s own thresholds', () => {
    expect(timeLeft('2026-03-04T10:45:00Z', NOW, 30, 5).urgency).toBe('normal')
  })

  it('says when there is no deadline', () => {
    expect(timeLeft(null, NOW, 60, 15)).toEqual({ text: 'No deadline given', urgency: 'none' })
  })
})
