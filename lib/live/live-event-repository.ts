import type { Tx } from '@/lib/db/prisma'

export type TLiveEventType = 'referral.received' | 'referral.updated' | 'booking.changed'

export const liveEventRepository = {
  /** Written in the transaction of the change; a trigger NOTIFYs listeners on every instance. */
  async publish(tx: Tx, type: TLiveEventType, serviceId: string, entityId: string) {
    await tx.liveEvent.create({ data: { type, serviceId, entityId } })
  },
}
