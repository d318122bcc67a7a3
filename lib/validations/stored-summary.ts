import type { Bundle } from '@medplum/fhirtypes'
import { readCasContent } from '@/lib/bars/cas-referral'
import type { TValidationSummary } from '@/lib/bars/validation'
import type { TValidationRecord } from './validation-repository'

/** The summary of the stored current version, for comparing an update against (Q24: by content). */
export function summaryOfStored(bundle: Bundle, record: Pick<TValidationRecord, 'breachAt' | 'useCase' | 'fhirStatus'>): TValidationSummary {
  const content = readCasContent(bundle)
  return {
    useCase: record.useCase,
    fhirStatus: record.fhirStatus,
    patient: {},
    breachAt: content.window.end && !Number.isNaN(Date.parse(content.window.end)) ? new Date(content.window.end) : record.breachAt,
    clockStart: content.clockStart && !Number.isNaN(Date.parse(content.clockStart)) ? new Date(content.clockStart) : undefined,
    arpCode: content.arpCode,
    sceneSafety: content.sceneSafety.sent ? content.sceneSafety.code : undefined,
    safeguarding: content.safeguarding,
    content,
  }
}
