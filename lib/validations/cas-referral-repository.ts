import type { Bundle } from '@medplum/fhirtypes'
import { prisma } from '@/lib/db/prisma'
import { versionBundle, versionBundleSelect } from '@/lib/referrals/version-bundle'

/**
 * Read-only view of the App 3 referrals (999 → CAS, `a3t1`) a CAS holds, for the CAS screens. The
 * referrals themselves are written by the referral pipeline (lib/referrals); this only reads them.
 */
export const casReferralRepository = {
  /** Open App 3 referrals of these services, soonest call-back first. */
  async open(serviceIds: string[]) {
    return prisma().referral.findMany({
      where: { serviceId: { in: serviceIds }, useCase: 'a3t1', fhirStatus: 'active', state: { in: ['NEW', 'ACCEPTED'] } },
      orderBy: [{ deadline: { sort: 'asc', nulls: 'last' } }, { safeguarding: 'desc' }, { receivedAt: 'asc' }],
      take: 100,
      select: { id: true, caseReference: true, state: true, patientFamily: true, patientGiven: true, deadline: true, safeguarding: true, receivedAt: true },
    })
  },

  /** One App 3 referral with its current bundle (null when it is not an App 3 referral). */
  async one(id: string) {
    const r = await prisma().referral.findFirst({
      where: { id, useCase: 'a3t1' },
      select: {
        id: true, caseReference: true, state: true, fhirStatus: true, cancelReason: true, patientFamily: true, patientGiven: true, patientNhsNumber: true, patientBirthDate: true,
        deadline: true, safeguarding: true, receivedAt: true, senderName: true,
        versions: { orderBy: { version: 'desc' }, take: 1, select: versionBundleSelect },
      },
    })
    if (!r) return null
    const { versions, ...rest } = r
    return { ...rest, bundle: (versions[0] ? versionBundle(versions[0]) : {}) as Bundle }
  },
}
