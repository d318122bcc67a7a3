import type { Tx } from '@/lib/db/prisma'

export const bookingRepository = {
  async findForService(tx: Tx, serviceId: string, id: string) {
    return tx.booking.findFirst({
      where: { id, serviceId },
      select: { id: true, status: true, referralId: true, referral: { select: { fhirStatus: true } } },
    })
  },

  async linkReferral(tx: Tx, bookingId: string, referralId: string) {
    await tx.booking.update({ where: { id: bookingId }, data: { referralId, version: { increment: 1 } } })
  },
}
