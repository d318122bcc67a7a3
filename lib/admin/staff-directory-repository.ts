import { likeText } from '@/lib/db/like'
import { prisma } from '@/lib/db/prisma'

/** Display names for ids shown in the audit (users by id or e-mail, referrals by id). */
export const staffDirectoryRepository = {
  async userNames(ids: string[]): Promise<Map<string, string>> {
    const uuids = [...new Set(ids.filter((i) => /^[0-9a-f-]{36}$/i.test(i)))]
    if (uuids.length === 0) return new Map()
    const rows = await prisma().staffUser.findMany({ where: { id: { in: uuids } }, select: { id: true, name: true, email: true } })
    return new Map(rows.map((r) => [r.id, `${r.name} (${r.email})`]))
  },

  async userIdsMatching(text: string): Promise<string[]> {
    const rows = await prisma().staffUser.findMany({
      where: { OR: [{ email: { contains: likeText(text.trim()), mode: 'insensitive' } }, { name: { contains: likeText(text.trim()), mode: 'insensitive' } }] },
      select: { id: true },
      take: 50,
    })
    return rows.map((r) => r.id)
  },

  async caseReferences(ids: string[]): Promise<Map<string, string>> {
    const uuids = [...new Set(ids.filter((i) => /^[0-9a-f-]{36}$/i.test(i)))]
    if (uuids.length === 0) return new Map()
    const rows = await prisma().referral.findMany({ where: { id: { in: uuids } }, select: { id: true, caseReference: true } })
    return new Map(rows.map((r) => [r.id, r.caseReference]))
  },

  async referralIdByCaseReference(caseReference: string): Promise<string | undefined> {
    const row = await prisma().referral.findUnique({ where: { caseReference: caseReference.trim().toUpperCase() }, select: { id: true } })
    return row?.id
  },
}
