import type { OperationOutcome } from '@medplum/fhirtypes'

/** The system our REC_ codes are sent with (the form the BaRS proxy, TKW and examples use). */
export const HTTP_ERROR_CODES_SYSTEM = 'https://fhir.nhs.uk/Codesystem/http-error-codes'
/** Both spellings seen in the wild; accept either when reading an OperationOutcome. */
export const HTTP_ERROR_CODES_SYSTEMS = [HTTP_ERROR_CODES_SYSTEM, 'https://fhir.nhs.uk/CodeSystem/http-error-codes']

export const UKCORE_OPERATION_OUTCOME = 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-OperationOutcome'

export interface TOutcomeInput {
  status: number
  recCode: string
  issueCode: NonNullable<OperationOutcome['issue']>[number]['code']
  diagnostics: string
  expression?: string[]
  severity?: 'error' | 'fatal' | 'warning' | 'information'
}

/** A BaRS receiver OperationOutcome (spec §6.1): one issue, REC_ code in details, no patient data. */
export function buildOperationOutcome(input: TOutcomeInput, id: string = crypto.randomUUID()): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    id,
    meta: { profile: [UKCORE_OPERATION_OUTCOME] },
    issue: [
      {
        severity: input.severity ?? 'error',
        code: input.issueCode,
        details: {
          coding: [{ system: HTTP_ERROR_CODES_SYSTEM, code: input.recCode, display: `${input.status} - ${input.recCode}` }],
        },
        diagnostics: input.diagnostics,
        ...(input.expression?.length ? { expression: input.expression } : {}),
      },
    ],
  }
}

/** Read the REC_ code of an OperationOutcome, accepting both system spellings. */
export function recCodeOf(outcome: OperationOutcome): string | undefined {
  return outcome.issue?.[0]?.details?.coding?.find((c) => c.system && HTTP_ERROR_CODES_SYSTEMS.includes(c.system))?.code
}
