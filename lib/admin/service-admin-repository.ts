import { invalidateLookups } from '@/lib/db/lookup-cache'
import { prisma } from '@/lib/db/prisma'
import type { TServiceInput } from './admin-schemas'

const select = {
  id: true,
  dosServiceId: true,
  name: true,
  odsCode: true,
  kind: true,
  useCases: true,
  minAppVersion: true,
  maxAppVersion: true,
  amberMinutes: true,
  redMinutes: true,
  maxSlotWindowHours: true,
  active: true,
  updatedAt: true,
  senders: { select: { senderId: true } },
} as const

export type TServiceAdminRecord = Omit<TServiceInput, 'senderIds'> & { id: string; updatedAt: Date; senderIds: string[] }

const toRecord = ({ senders, ...r }: { senders: { senderId: string }[] } & Omit<TServiceAdminRecord, 'senderIds'>): TServiceAdminRecord => ({
  ...r,
  senderIds: senders.map((s) => s.senderId),
})

export const serviceAdminRepository = {
  async list(): Promise<TServiceAdminRecord[]> {
    return (await prisma().service.findMany({ select, orderBy: [{ active: 'desc' }, { name: 'asc' }] })).map(toRecord)
  },

  async get(id: string): Promise<TServiceAdminRecord | null> {
    const row = await prisma().service.findUnique({ where: { id }, select })
    return row ? toRecord(row) : null
  },

  async create({ senderIds, ...data }: TServiceInput): Promise<TServiceAdminRecord> {
    const row = toRecord(await prisma().service.create({ data: { ...data, senders: { create: senderIds.map((senderId) => ({ senderId })) } }, select }))
    invalidateLookups()
    return row
  },

  async update(id: string, { senderIds, ...data }: TServiceInput): Promise<TServiceAdminRecord | null> {
    const db = prisma()
    const updated = await db.$transaction(async (tx) => {
      if ((await tx.service.count({ where: { id } })) === 0) return null
      await tx.serviceSender.deleteMany({ where: { serviceId: id } })
      const row = await tx.service.update({ where: { id }, data: { ...data, senders: { create: senderIds.map((senderId) => ({ senderId })) } }, select })
      return toRecord(row)
    })
    invalidateLookups()
    return updated
  },

  async countSenders(ids: string[]): Promise<number> {
    return ids.length ? prisma().senderSystem.count({ where: { id: { in: ids } } }) : 0
  },
}
