import { prisma } from '@/lib/db/prisma'

type TRole = 'CLINICIAN' | 'RECEPTIONIST' | 'ADMIN'

const select = { id: true, email: true, name: true, roles: true, active: true, lockedUntil: true, failedLogins: true, updatedAt: true } as const

export interface TUserAdminRecord {
  id: string
  email: string
  name: string
  roles: TRole[]
  active: boolean
  lockedUntil: Date | null
  failedLogins: number
  updatedAt: Date
  liveSessions: number
}

export const userAdminRepository = {
  async list(): Promise<TUserAdminRecord[]> {
    const [users, sessions] = await Promise.all([
      prisma().staffUser.findMany({ select, orderBy: [{ active: 'desc' }, { name: 'asc' }] }),
      prisma().staffSession.groupBy({ by: ['userId'], where: { revokedAt: null, lastSeenAt: { gt: new Date(Date.now() - 30 * 60_000) } }, _count: { _all: true } }),
    ])
    const live = new Map(sessions.map((s) => [s.userId, s._count._all]))
    return users.map((u) => ({ ...u, liveSessions: live.get(u.id) ?? 0 }))
  },

  async get(id: string): Promise<TUserAdminRecord | null> {
    const u = await prisma().staffUser.findUnique({ where: { id }, select })
    if (!u) return null
    const liveSessions = await prisma().staffSession.count({ where: { userId: id, revokedAt: null, lastSeenAt: { gt: new Date(Date.now() - 30 * 60_000) } } })
    return { ...u, liveSessions }
  },

  async create(data: { email: string; name: string; roles: TRole[]; passwordHash: string }): Promise<{ id: string }> {
    return prisma().staffUser.create({ data, select: { id: true } })
  },

  async update(id: string, data: { name: string; roles: TRole[]; active: boolean; passwordHash?: string; unlock: boolean }): Promise<boolean> {
    const { unlock, ...rest } = data
    const r = await prisma().staffUser.updateMany({ where: { id }, data: { ...rest, ...(unlock ? { failedLogins: 0, lockedUntil: null } : {}) } })
    return r.count === 1
  },

  async countActiveAdmins(): Promise<number> {
    return prisma().staffUser.count({ where: { active: true, roles: { has: 'ADMIN' } } })
  },
}
