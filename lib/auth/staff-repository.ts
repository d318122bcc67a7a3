import { prisma } from '@/lib/db/prisma'

export const staffRepository = {
  async findByEmail(email: string) {
    return prisma().staffUser.findUnique({
      where: { email: email.trim().toLowerCase() },
      select: { id: true, email: true, name: true, roles: true, active: true, passwordHash: true, failedLogins: true, lockedUntil: true },
    })
  },

  async exists(id: string): Promise<boolean> {
    return (await prisma().staffUser.count({ where: { id } })) > 0
  },

  async recordFailure(id: string, lockAfter: number, lockMinutes: number) {
    // One statement, so concurrent failures on several instances all count.
    await prisma().$executeRaw`
      UPDATE "StaffUser" SET "failedLogins" = "failedLogins" + 1,
        "lockedUntil" = CASE WHEN "failedLogins" + 1 >= ${lockAfter} THEN now() + make_interval(mins => ${lockMinutes}) ELSE "lockedUntil" END
      WHERE "id" = ${id}::uuid`
  },

  async recordSuccess(id: string) {
    await prisma().staffUser.update({ where: { id }, data: { failedLogins: 0, lockedUntil: null } })
  },

  async createSession(userId: string) {
    return prisma().staffSession.create({ data: { userId }, select: { id: true, createdAt: true } })
  },

  /** The live session and its user, or null if revoked, idle too long or too old. Touches lastSeenAt. */
  async touchSession(sessionId: string, idleMinutes: number, absoluteHours: number) {
    const rows = await prisma().$queryRaw<{ userId: string }[]>`
      UPDATE "StaffSession" SET "lastSeenAt" = now()
      WHERE "id" = ${sessionId}::uuid AND "revokedAt" IS NULL
        AND "lastSeenAt" > now() - make_interval(mins => ${idleMinutes})
        AND "createdAt" > now() - make_interval(hours => ${absoluteHours})
      RETURNING "userId"`
    const userId = rows[0]?.userId
    if (!userId) return null
    return prisma().staffUser.findFirst({ where: { id: userId, active: true }, select: { id: true, email: true, name: true, roles: true } })
  },

  async revokeSession(sessionId: string) {
    await prisma().staffSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } })
  },

  /** Ends every live session of the user; returns how many were live. */
  async revokeAllSessions(userId: string): Promise<number> {
    const r = await prisma().staffSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } })
    return r.count
  },

  /** OIDC sign-in: the user by e-mail, created on first sign-in; roles always follow the identity provider. */
  async upsertFromIdentityProvider(input: { email: string; name: string; roles: ('CLINICIAN' | 'RECEPTIONIST' | 'ADMIN')[] }) {
    const email = input.email.trim().toLowerCase()
    return prisma().staffUser.upsert({
      where: { email },
      // No usable password: "!" never matches a bcrypt hash.
      create: { email, name: input.name, roles: input.roles, passwordHash: '!' },
      update: { name: input.name, roles: input.roles },
      select: { id: true, email: true, name: true, roles: true, active: true },
    })
  },
}
