import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Bundle, CarePlan, ServiceRequest } from '@medplum/fhirtypes'
import refreq01 from '@/lib/bars/__fixtures__/examples/REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json'
import { deadlineSourceText, dispositionTimeframe, referralDeadline } from './deadline'

const bundle = refreq01 as unknown as Bundle
const sr = bundle.entry!.map((e) => e.resource).find((r) => r?.resourceType === 'ServiceRequest') as ServiceRequest
const dx = (bundle.entry!.map((e) => e.resource).find((r) => r?.resourceType === 'CarePlan') as CarePlan).activity!
  .flatMap((a) => a.outcomeCodeableConcept ?? [])
  .flatMap((c) => c.coding ?? [])
  .find((c) => c.system?.endsWith('pathways-dx-codes'))!

describe('referralDeadline', () => {
  it('derives DX02 + 1 hour from Bundle.timestamp for the real REFREQ01, which has no occurrencePeriod.end', () => {
    expect(sr.occurrencePeriod?.end).toBeUndefined()
    expect(dx.code).toBe('DX02')
    const d = referralDeadline({ explicit: sr.occurrencePeriod?.end, dispositionCode: dx.code, dispositionDisplay: dx.display, sentAt: bundle.timestamp, receivedAt: '2021-10-11T12:20:00Z' })
    expect(d).toEqual({ at: '2021-10-11T13:15:10.000Z', source: 'DERIVED', basis: { code: 'DX02', timeframe: { minutes: 60, text: 'within 1 hour' } } })
    expect(deadlineSourceText(d!.source, dx.code, dx.display)).toBe('derived from DX02 (within 1 hour)')
  })

  it("keeps the sender's explicit deadline and never calls it derived", () => {
    const d = referralDeadline({ explicit: '2026-12-01T09:30:00+00:00', dispositionCode: 'DX02', sentAt: '2026-12-01T08:00:00Z', receivedAt: '2026-12-01T08:00:05Z' })
    expect(d).toEqual({ at: '2026-12-01T09:30:00.000Z', source: 'EXPLICIT' })
    expect(deadlineSourceText(d!.source, 'DX02')).toBeUndefined()
  })

  it('counts from our receipt when the sent time is missing, unreadable or later than receipt', () => {
    const base = { dispositionCode: 'DX02', receivedAt: new Date('2026-12-01T08:00:00Z') }
    expect(referralDeadline({ ...base })?.at).toBe('2026-12-01T09:00:00.000Z')
    expect(referralDeadline({ ...base, sentAt: 'yesterday' })?.at).toBe('2026-12-01T09:00:00.000Z')
    expect(referralDeadline({ ...base, sentAt: '2026-12-01T10:00:00Z' })?.at).toBe('2026-12-01T09:00:00.000Z')
    expect(referralDeadline({ ...base, sentAt: '2026-12-01T07:50:00Z' })?.at).toBe('2026-12-01T08:50:00.000Z')
  })

  it('gives no deadline when there is neither an explicit one nor a disposition with a timeframe', () => {
    expect(referralDeadline({ receivedAt: new Date() })).toBeUndefined()
    expect(referralDeadline({ dispositionCode: '1122334455', dispositionDisplay: 'DX Code example', receivedAt: new Date() })).toBeUndefined()
  })

  it('is never later than sent time + timeframe, whatever the clocks say', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), fc.integer({ min: -10_000_000, max: 10_000_000 }), (received, skew) => {
        const d = referralDeadline({ dispositionCode: 'DX02', sentAt: new Date(received + skew).toISOString(), receivedAt: new Date(received) })!
        expect(Date.parse(d.at)).toBeLessThanOrEqual(received + 60 * 60_000)
        expect(Date.parse(d.at)).toBe(Math.min(received, received + skew) + 60 * 60_000)
      }),
    )
  })
})

describe('dispositionTimeframe', () => {
  it('reads the timeframe from the display of codes it does not know', () => {
    expect(dispositionTimeframe('Dx05', 'The individual needs to attend within 4 hours.')).toEqual({ minutes: 240, text: 'within 4 hours' })
    expect(dispositionTimeframe('Dx99', 'Speak to a clinician within 30 minutes')).toEqual({ minutes: 30, text: 'within 30 minutes' })
    expect(dispositionTimeframe('Dx335', 'A clinician from our service will call the individual back immediately to assess the problem')).toEqual({ minutes: 0, text: 'immediately' })
    expect(dispositionTimeframe('Dx0122', 'Emergency Ambulance Response (Category 3)')).toBeUndefined()
  })
})
