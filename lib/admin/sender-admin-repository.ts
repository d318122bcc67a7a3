import { invalidateLookups } from '@/lib/db/lookup-cache'
import { prisma } from '@/lib/db/prisma'

/** Sender systems for the admin screens. Secrets never leave: only whether each is set. */
const select = {
  id: true,
  name: true,
  kind: true,
  dosServiceId: true,
  odsCodes: true,
  softwareIds: true,
  responseBaseUrl: true,
  clientCertSubject: true,
  bearerTokenHash: true,
  outboundToken: true,
  active: true,
  updatedAt: true,
} as const

export interface TSenderAdminRecord {
  id: string
  name: string
  kind: 'NHS111' | 'CAS' | 'AMBULANCE_999' | 'OTHER'
  dosServiceId: string
  odsCodes: string[]
  softwareIds: string[]
  responseBaseUrl: string | null
  clientCertSubject: string | null
  hasBearerToken: boolean
  hasOutboundToken: boolean
  active: boolean
  updatedAt: Date
}

const toRecord = ({ bearerTokenHash, outboundToken, ...r }: { bearerTokenHash: string | null; outboundToken: string | null } & Omit<TSenderAdminRecord, 'hasBearerToken' | 'hasOutboundToken'>): TSenderAdminRecord => ({
  ...r,
  hasBearerToken: Boolean(bearerTokenHash),
  hasOutboundToken: Boolean(outboundToken),
})

export interface TSenderWrite {
  name: string
  kind: TSenderAdminRecord['kind']
  dosServiceId: string
  odsCodes: string[]
  softwareIds: string[]
  responseBaseUrl: string | null
  clientCertSubject: string | null
  active: boolean
  /** undefined: leave as is; null: remove; string: set. */
  outboundToken?: string | null
}

export const senderAdminRepository = {
  async list(): Promise<TSenderAdminRecord[]> {
    return (await prisma().senderSystem.findMany({ select, orderBy: [{ active: 'desc' }, { name: 'asc' }] })).map(toRecord)
  },

  async get(id: string): Promise<TSenderAdminRecord | null> {
    const row = await prisma().senderSystem.findUnique({ where: { id }, select })
    return row ? toRecord(row) : null
  },

  async create(data: TSenderWrite): Promise<TSenderAdminRecord> {
    const row = toRecord(await prisma().senderSystem.create({ data, select }))
    invalidateLookups()
    return row
  },

  async update(id: string, data: TSenderWrite): Promise<TSenderAdminRecord | null> {
    const r = await prisma().senderSystem.updateMany({ where: { id }, data })
    invalidateLookups()
    return r.count ? this.get(id) : null
  },

  async setBearerTokenHash(id: string, hash: string): Promise<boolean> {
    const r = await prisma().senderSystem.updateMany({ where: { id }, data: { bearerTokenHash: hash } })
    invalidateLookups()
    return r.count === 1
  },
}
