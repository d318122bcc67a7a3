import { describe, expect, it } from 'vitest'
import { formatPhone, telHref } from './phone'

describe('phone numbers', () => {
  it('groups UK numbers from the real example (REFREQ01) the way they are read', () => {
    expect(formatPhone('07736312544')).toBe('07736 312544')
    expect(formatPhone('01138698975')).toBe('0113 869 8975')
    expect(formatPhone('0789 1234567')).toBe('07891 234567')
    expect(formatPhone('02079460000')).toBe('020 7946 0000')
    expect(formatPhone('+44 7736 312544')).toBe('07736 312544')
    expect(formatPhone('0300 123 1234')).toBe('0300 123 1234')
  })

  it('leaves anything else as given, and makes tel: links of digits only', () => {
    expect(formatPhone('999')).toBe('999')
    expect(formatPhone(' ext. 12 ')).toBe('ext. 12')
    expect(telHref('0789 1234567')).toBe('tel:07891234567')
    expect(telHref('+44 7736 312544')).toBe('tel:+447736312544')
  })
})
