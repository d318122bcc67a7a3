/**
 * UK phone numbers as people read them, and as `tel:` links (pure). "07736312544" → "07736 312544",
 * "01138698975" → "0113 869 8975", "02079460000" → "020 7946 0000". Anything that is not an 11-digit
 * UK number is shown as given.
 */
export function formatPhone(raw: string): string {
  let digits = raw.replace(/[^\d+]/g, '')
  if (digits.startsWith('+44')) digits = `0${digits.slice(3)}`
  if (!/^0\d{10}$/.test(digits)) return raw.trim()
  if (/^0(1\d1|11\d)/.test(digits)) return `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`
  if (/^0[2]/.test(digits)) return `${digits.slice(0, 3)} ${digits.slice(3, 7)} ${digits.slice(7)}`
  if (/^0(3|8|9)/.test(digits)) return `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}`
  return `${digits.slice(0, 5)} ${digits.slice(5)}`
}

/** The `tel:` address: digits only (a leading + kept). */
export function telHref(raw: string): string {
  const t = raw.trim()
  return `tel:${t.startsWith('+') ? '+' : ''}${t.replace(/\D/g, '')}`
}
