import type { TServiceKind } from '@/lib/bars/service-kinds'
import { lookupCache } from '@/lib/db/lookup-cache'
import { prisma } from '@/lib/db/prisma'

export interface TServiceRecord {
  id: string
  dosServiceId: string
  name: string
  odsCode: string
  kind: TServiceKind
  useCases: string[]
  minAppVersion: string
  maxAppVersion: string
  active: boolean
  senders: { dosServiceId: string; odsCodes: string[]; active: boolean }[]
}

const select = {
  id: true,
  dosServiceId: true,
  name: true,
  odsCode: true,
  kind: true,
  useCases: true,
  minAppVersion: true,
  maxAppVersion: true,
  active: true,
  senders: { select: { sender: { select: { dosServiceId: true, odsCodes: true, active: true } } } },
} as const

/** Every FHIR call resolves its target service: cached for seconds, cleared on any change (lib/db/lookup-cache.ts). */
const byDosId = lookupCache<TServiceRecord>()

export const serviceRepository = {
  /** Every active service, read at request time (metadata and MessageDefinitions are built from it, never cached). */
  async listActive(): Promise<TServiceRecord[]> {
    const rows = await prisma().service.findMany({ where: { active: true }, select, orderBy: { dosServiceId: 'asc' } })
    return rows.map((row) => ({ ...row, senders: row.senders.map((s) => s.sender) }))
  },

  async findByDosId(dosServiceId: string): Promise<TServiceRecord | null> {
    return byDosId.get(dosServiceId, async () => {
      const row = await prisma().service.findUnique({ where: { dosServiceId }, select })
      return row ? { ...row, senders: row.senders.map((s) => s.sender) } : null
    })
  },
}
