import { describe, expect, it } from 'vitest'
import { can, homeFor, PERMISSION_NAMES, PERMISSIONS, permissionsOf, ROLES } from './permissions'

describe('permission table', () => {
  it('grants each role exactly its screens', () => {
    expect(permissionsOf(['CLINICIAN'])).toEqual(['referrals:read', 'referrals:act', 'slots:read', 'audit:record'])
    expect(permissionsOf(['RECEPTIONIST'])).toEqual(['referrals:read', 'slots:read', 'slots:manage', 'bookings:overbook'])
    expect(permissionsOf(['ADMIN'])).toEqual(['admin:configure', 'admin:users', 'audit:read', 'audit:record', 'outbox:manage'])
  })

  it('a user holding several roles gets the union', () => {
    expect(permissionsOf(['CLINICIAN', 'RECEPTIONIST'])).toEqual(['referrals:read', 'referrals:act', 'slots:read', 'slots:manage', 'bookings:overbook', 'audit:record'])
    expect(can(['RECEPTIONIST', 'ADMIN'], 'admin:users')).toBe(true)
    expect(can(['RECEPTIONIST', 'ADMIN'], 'referrals:act')).toBe(false)
  })

  it('no roles, or unknown roles, grant nothing', () => {
    expect(permissionsOf([])).toEqual([])
    expect(permissionsOf(['SUPERUSER', 'admin'])).toEqual([])
  })

  it('only clinicians triage; only receptionists manage slots; only admins configure, manage users and read the audit', () => {
    expect(PERMISSIONS['referrals:act']).toEqual(['CLINICIAN'])
    expect(PERMISSIONS['slots:manage']).toEqual(['RECEPTIONIST'])
    expect(PERMISSIONS['admin:configure']).toEqual(['ADMIN'])
    expect(PERMISSIONS['admin:users']).toEqual(['ADMIN'])
    expect(PERMISSIONS['audit:read']).toEqual(['ADMIN'])
  })

  it('every permission names only known roles and is held by someone', () => {
    for (const p of PERMISSION_NAMES) {
      expect(PERMISSIONS[p].length, p).toBeGreaterThan(0)
      for (const r of PERMISSIONS[p]) expect(ROLES).toContain(r)
    }
  })

  it('sends each role to its first screen after sign-in', () => {
    expect(homeFor(['CLINICIAN'])).toBe('/inbox')
    expect(homeFor(['RECEPTIONIST'])).toBe('/inbox')
    expect(homeFor(['ADMIN'])).toBe('/admin')
    expect(homeFor([])).toBe('/sign-in')
  })
})
