/** The App 5 builders (pharmacy-messages.ts) bound to the real examples, for tests, the simulator and conformance. */
import type { Bundle } from '@medplum/fhirtypes'
import fla02 from './__fixtures__/examples/FLA02_Flag_Reasonable_Adjustment.json'
import fla03 from './__fixtures__/examples/FLA03_Flag_Reasonable_Adjustment2.json'
import refreq03 from './__fixtures__/examples/REFREQ03_Referral_Service_Request_New_Full_Primary_Care_to_Community_Pharmacy_Minor_Illness.json'
import servreq01 from './__fixtures__/examples/SERVREQ01_Service_Request_Update_Revoked.json'
import { buildPharmacyCancel, buildPharmacyReferral, buildPharmacyUpdate, type TPharmacyExamples } from './pharmacy-messages'

const EXAMPLES: TPharmacyExamples = { refreq03, fla02, fla03, servreq01 }

export const freshPharmacyReferral = (opts: Parameters<typeof buildPharmacyReferral>[1]): Bundle => buildPharmacyReferral(EXAMPLES, opts)
export const freshPharmacyCancel = (opts: Parameters<typeof buildPharmacyCancel>[1]): Bundle => buildPharmacyCancel(EXAMPLES, opts)
export const freshPharmacyUpdate = (opts: Parameters<typeof buildPharmacyUpdate>[1]): Bundle => buildPharmacyUpdate(EXAMPLES, opts)
