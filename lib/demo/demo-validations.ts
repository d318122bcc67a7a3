/**
 * Fresh copies of the real 999 → CAS examples (VALREQ01/02/03, SERVREQ02, REFREQ02) addressed to a
 * CAS: destination = the CAS DoS id, a new Bundle.id, times relative to `now`. For tests, the
 * simulator's 999 requester mode and e2e. Relative imports only, so Playwright can load it too.
 */
import type { Bundle, BundleEntry } from '@medplum/fhirtypes'
import { freshenCasMessage, type TFreshOpts } from './fresh-cas-message'
import refreq02 from '../bars/__fixtures__/examples/REFREQ02_Referral_Service_Request_New_Full_999_to_CAS.json'
import servreq02 from '../bars/__fixtures__/examples/SERVREQ02_Service_Request_Delete_Entered_in_error.json'
import valreq01 from '../bars/__fixtures__/examples/VALREQ01_Validation_Service_Request_New_Full_999_to_CAS.json'
import valreq02 from '../bars/__fixtures__/examples/VALREQ02_Validation_Service_Request_Update_Full_999_to_CAS_Lower_Priority.json'
import valreq03 from '../bars/__fixtures__/examples/VALREQ03_Validation_Service_Request_New_Full_AMPDS_999_to_CAS.json'

export const CAS_EXAMPLES = {
  VALREQ01: valreq01,
  VALREQ02: valreq02,
  VALREQ03: valreq03,
  SERVREQ02: servreq02,
  REFREQ02: refreq02,
} as const
export type TCasExample = keyof typeof CAS_EXAMPLES

/** A fresh copy of one of the 999 → CAS examples. */
export function freshCasMessage(name: TCasExample, opts: TFreshOpts): Bundle {
  return freshenCasMessage(CAS_EXAMPLES[name], opts)
}

/** An entry of a bundle by resource type (tests and the simulator). */
export function entryOfType(bundle: Bundle, type: string): BundleEntry | undefined {
  return bundle.entry?.find((e) => e.resource?.resourceType === type)
}

export { DEMO_CAS_DOS_ID, type TFreshOpts } from './fresh-cas-message'
