/**
 * CSV for the audit export (RFC 4180): fields quoted when needed, and cells a spreadsheet would run
 * as a formula (= + - @ tab CR at the start) prefixed with ' so an export cannot execute anything.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}

export const AUDIT_CSV_COLUMNS = [
  'id',
  'time_utc',
  'actor_type',
  'actor_id',
  'actor',
  'action',
  'entity_type',
  'entity_id',
  'record',
  'patient_nhs_number',
  'outcome',
  'client_address',
  'x_request_id',
  'x_correlation_id',
  'detail',
] as const
