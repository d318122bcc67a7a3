import { prisma } from '@/lib/db/prisma'

export const sessionRetentionRepository = {
  /**
   * Delete StaffSession rows that can never be used again: revoked, idle past the idle limit or
   * older than the absolute limit (the same tests as staffRepository.touchSession). A deleted row
   * and an ended one mean the same to the app: the cookie no longer finds a live session.
   */
  async deleteEnded(now: Date, idleMinutes: number, absoluteHours: number): Promise<number> {
    return prisma().$executeRaw`
      DELETE FROM "StaffSession"
      WHERE "revokedAt" IS NOT NULL
         OR "lastSeenAt" <= ${now}::timestamptz - make_interval(mins => ${idleMinutes})
         OR "createdAt" <= ${now}::timestamptz - make_interval(hours => ${absoluteHours})`
  },
}
