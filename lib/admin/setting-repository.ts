import type { Prisma } from '@/generated/prisma/client'
import { prisma } from '@/lib/db/prisma'

/** Run-time settings (AppSetting rows), read on every use so a change needs no restart. */
export const settingRepository = {
  async get(key: string): Promise<unknown> {
    const row = await prisma().appSetting.findUnique({ where: { key }, select: { value: true } })
    return row?.value ?? undefined
  },

  async set(key: string, value: unknown): Promise<void> {
    const json = value as Prisma.InputJsonValue
    await prisma().appSetting.upsert({ where: { key }, create: { key, value: json }, update: { value: json } })
  },
}
