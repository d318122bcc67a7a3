import { formatNhsNumber } from '@/lib/bars/identifiers'

export function patientName(p: { patientGiven?: string | null; patientFamily?: string | null }): string {
  const name = [p.patientGiven, p.patientFamily?.toUpperCase()].filter(Boolean).join(' ')
  return name || 'Name not provided'
}

export function nhsNumberLabel(nhs: string | null | undefined): string {
  return formatNhsNumber(nhs) ?? 'Not provided'
}
