import { prisma, type Tx } from '@/lib/db/prisma'

export type TLiveEventType = 'referral.received' | 'referral.updated' | 'booking.changed' | 'validation.received' | 'validation.updated'

export interface TLiveEvent {
  id: string
  type: string
  serviceId: string | null
  entityId: string | null
  at: string
}

export const liveEventRepository = {
  /** Written in the transaction of the change; a trigger NOTIFYs listeners on every instance. */
  async publish(tx: Tx, type: TLiveEventType, serviceId: string, entityId: string) {
    await tx.liveEvent.create({ data: { type, serviceId, entityId } })
  },

  /** The newest event id (the cursor a fresh client starts from), "0" when there are none. */
  async latestId(): Promise<string> {
    const row = await prisma().liveEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } })
    return (row?.id ?? BigInt(0)).toString()
  },

  /** Events after a cursor, oldest first: the table is the source of truth, NOTIFY only wakes us. */
  async listAfter(afterId: string, limit = 500): Promise<TLiveEvent[]> {
    const rows = await prisma().liveEvent.findMany({
      where: { id: { gt: BigInt(afterId) } },
      orderBy: { id: 'asc' },
      take: limit,
      select: { id: true, type: true, serviceId: true, entityId: true, at: true },
    })
    return rows.map((r) => ({ ...r, id: r.id.toString(), at: r.at.toISOString() }))
  },
}
