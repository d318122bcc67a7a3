import type { Prisma } from '@/generated/prisma/client'
import { prisma, type Tx } from '@/lib/db/prisma'

export interface TAuditInput {
  actorType: 'USER' | 'SENDER' | 'SYSTEM'
  actorId?: string
  action: string
  entityType?: string
  entityId?: string
  patientNhs?: string
  requestId?: string
  correlationId?: string
  outcome: string
  ip?: string
  detail?: Record<string, unknown>
}

export const auditRepository = {
  /** Append an audit row; pass the transaction when the audited change is in one. */
  async record(event: TAuditInput, tx?: Tx) {
    await (tx ?? prisma()).auditEvent.create({ data: { ...event, detail: event.detail as Prisma.InputJsonValue | undefined } })
  },
}
