import { describe, expect, it } from 'vitest'
import { appVersionRange, applicationOfUseCase, kindServesUseCase, versionInRange } from './service-kinds'

const ed = { kind: 'EMERGENCY' as const, minAppVersion: '1.0.0', maxAppVersion: '2.1.0' }
const pharmacy = { kind: 'PHARMACY' as const, minAppVersion: '1.0.0', maxAppVersion: '2.1.0' }
const cas = { kind: 'CAS' as const, minAppVersion: '1.0.0', maxAppVersion: '2.1.0' }

describe('service kinds', () => {
  it('finds the Application of a use case', () => {
    expect(applicationOfUseCase('a1t3')).toBe(1)
    expect(applicationOfUseCase('a4t2')).toBe(4)
    expect(applicationOfUseCase('referraltopharmacy')).toBeUndefined()
    expect(applicationOfUseCase(undefined)).toBeUndefined()
  })

  it('lets a kind serve only its own Applications', () => {
    expect(kindServesUseCase('EMERGENCY', 'a2t1')).toBe(true)
    expect(kindServesUseCase('EMERGENCY', 'a4t1')).toBe(false)
    expect(kindServesUseCase('CAS', 'a3t1')).toBe(true)
    expect(kindServesUseCase('CAS', 'a4t3')).toBe(true)
    expect(kindServesUseCase('CAS', 'a5t1')).toBe(false)
    expect(kindServesUseCase('PHARMACY', 'a5t1')).toBe(true)
    expect(kindServesUseCase('PHARMACY', 'a1t1')).toBe(false)
  })

  it('applies the service range to Apps 1/2 and the national range to the others', () => {
    expect(appVersionRange(ed, 'a1t1')).toEqual({ min: '1.0.0', max: '2.1.0', application: 1 })
    expect(appVersionRange(cas, 'a4t1')).toEqual({ min: '1.0.0', max: '2.0.0', application: 4 })
    // REFREQ03 carries 1.0.0-beta: inside App 5's range, outside the ED's.
    expect(versionInRange('1.0.0-beta', appVersionRange(pharmacy, 'a5t1'))).toBe(true)
    expect(versionInRange('1.0.0-beta', appVersionRange(ed, 'a1t1'))).toBe(false)
    expect(versionInRange('1.3.0', appVersionRange(pharmacy, 'a5t1'))).toBe(false)
    // Use case unknown: the first Application of the kind.
    expect(appVersionRange(pharmacy, undefined).application).toBe(5)
    expect(appVersionRange(ed, undefined).application).toBe(1)
  })
})
