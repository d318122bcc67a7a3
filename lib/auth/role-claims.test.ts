import { describe, expect, it } from 'vitest'
import { claimValues, parseRoleMap, rolesFromClaims } from './role-claims'

// Shaped like an NHS CIS2 userinfo response (nationalrbacaccess scope).
const CIS2_USERINFO = {
  sub: '910000000001',
  email: 'a.clinician@nhs.net',
  nhsid_nrbac_roles: [
    { person_roleid: '1', org_code: 'RXX', role_code: 'S8000:G8000:R8000', role_name: '"Clinical":"Clinical Provision":"Clinical Practitioner Access Role"' },
    { person_roleid: '2', org_code: 'RXX', role_code: 'S8001:G8005:R5080', role_name: '"Admin":"Management":"Bookings Clerk"' },
  ],
}

describe('parseRoleMap', () => {
  it('reads claim=ROLE pairs, several roles with |', () => {
    const map = parseRoleMap('S8000:G8000:R8000=CLINICIAN, R5080=receptionist|ADMIN')
    expect(map.get('S8000:G8000:R8000')).toEqual(['CLINICIAN'])
    expect(map.get('R5080')).toEqual(['RECEPTIONIST', 'ADMIN'])
  })
  it('is empty for an empty setting', () => {
    expect(parseRoleMap('').size).toBe(0)
  })
  it('refuses unknown roles and malformed entries', () => {
    expect(() => parseRoleMap('R8000=SUPERUSER')).toThrow(/unknown role SUPERUSER/)
    expect(() => parseRoleMap('R8000')).toThrow(/not claim=ROLE/)
  })
})

describe('claimValues', () => {
  it('walks through arrays of objects', () => {
    expect(claimValues(CIS2_USERINFO, 'nhsid_nrbac_roles.role_code')).toEqual(['S8000:G8000:R8000', 'S8001:G8005:R5080'])
  })
  it('reads a flat array claim and ignores non-strings', () => {
    expect(claimValues({ roles: ['a', 1, 'b'] }, 'roles')).toEqual(['a', 'b'])
    expect(claimValues({}, 'roles')).toEqual([])
  })
})

describe('rolesFromClaims', () => {
  it('maps CIS2 role codes by full code or by the Rxxxx part', () => {
    expect(rolesFromClaims(CIS2_USERINFO, 'nhsid_nrbac_roles.role_code', parseRoleMap('S8000:G8000:R8000=CLINICIAN,R5080=RECEPTIONIST'))).toEqual(['CLINICIAN', 'RECEPTIONIST'])
  })
  it('gives no role when nothing maps (sign-in is then refused)', () => {
    expect(rolesFromClaims(CIS2_USERINFO, 'nhsid_nrbac_roles.role_code', parseRoleMap('R9999=ADMIN'))).toEqual([])
  })
})
