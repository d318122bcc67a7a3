import type { Bundle } from '@medplum/fhirtypes'
import type { Prisma } from '@/generated/prisma/client'
import { prisma, type Tx } from '@/lib/db/prisma'

export interface TNewOutboxMessage {
  referralId?: string | null
  /** An App 4 validation response belongs to its validation case instead (lib/validations). */
  validationId?: string | null
  kind: string
  bundle: Bundle
  targetEndpoint: string
  targetBaseUrl: string | null
  correlationId: string
  requestId: string
}

export interface TClaimedMessage {
  id: string
  kind: string
  bundle: Bundle
  targetEndpoint: string
  targetBaseUrl: string | null
  requestId: string
  correlationId: string
  attempts: number
  referralId: string | null
}

export interface TOutboxListItem {
  id: string
  kind: string
  status: 'PENDING' | 'DELIVERED' | 'DEAD'
  attempts: number
  createdAt: Date
  nextAttemptAt: Date
  deliveredAt: Date | null
  lastError: string | null
  targetBaseUrl: string | null
  referral: { id: string; caseReference: string; senderName: string | null } | null
}

/** A live event for the referral a message belongs to, so open screens show the delivery at once. */
async function publishForMessage(tx: Tx, outboxId: string) {
  await tx.$executeRaw`
    INSERT INTO "LiveEvent" ("type", "serviceId", "entityId")
    SELECT 'referral.updated', r."serviceId", r."id"::text FROM "OutboxMessage" o JOIN "Referral" r ON r."id" = o."referralId" WHERE o."id" = ${outboxId}::uuid`
  await tx.$executeRaw`
    INSERT INTO "LiveEvent" ("type", "serviceId", "entityId")
    SELECT 'validation.updated', v."serviceId", v."id"::text FROM "OutboxMessage" o JOIN "ValidationCase" v ON v."id" = o."validationId" WHERE o."id" = ${outboxId}::uuid`
}

export const outboxRepository = {
  /** Written in the transaction of the change that owes the sender this message. */
  async enqueue(tx: Tx, m: TNewOutboxMessage): Promise<{ id: string }> {
    return tx.outboxMessage.create({
      data: { ...m, bundle: m.bundle as unknown as Prisma.InputJsonValue },
      select: { id: true },
    })
  },

  /**
   * Claim up to `limit` due messages for one delivery attempt. FOR UPDATE SKIP LOCKED lets several
   * workers claim at once without taking the same row; the lease (lockedUntil) hands a message to
   * another worker if this one dies mid-delivery. Messages of one referral (or validation case) go in order: a message
   * waits while an older one of the same referral is still pending.
   */
  async claimDue(now: Date, limit: number, leaseSeconds: number): Promise<TClaimedMessage[]> {
    return prisma().$queryRaw<TClaimedMessage[]>`
      UPDATE "OutboxMessage" o
      SET "lockedUntil" = ${now}::timestamptz + make_interval(secs => ${leaseSeconds}), "attempts" = o."attempts" + 1
      WHERE o."id" IN (
        SELECT c."id" FROM "OutboxMessage" c
        WHERE c."status" = 'PENDING' AND c."nextAttemptAt" <= ${now}::timestamptz
          AND (c."lockedUntil" IS NULL OR c."lockedUntil" < ${now}::timestamptz)
          AND NOT EXISTS (
            SELECT 1 FROM "OutboxMessage" e
            WHERE (e."referralId" = c."referralId" OR e."validationId" = c."validationId") AND e."status" = 'PENDING' AND e."createdAt" < c."createdAt")
        ORDER BY c."nextAttemptAt", c."createdAt"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED)
      RETURNING o."id", o."kind", o."bundle", o."targetEndpoint", o."targetBaseUrl", o."requestId"::text AS "requestId",
        o."correlationId"::text AS "correlationId", o."attempts", o."referralId"::text AS "referralId"`
  },

  async markDelivered(id: string, at: Date, note: string | null) {
    await prisma().$transaction(async (tx) => {
      await tx.outboxMessage.update({ where: { id }, data: { status: 'DELIVERED', deliveredAt: at, lockedUntil: null, lastError: note } })
      await publishForMessage(tx, id)
    })
  },

  async scheduleRetry(id: string, nextAttemptAt: Date, error: string) {
    await prisma().outboxMessage.update({ where: { id }, data: { nextAttemptAt, lockedUntil: null, lastError: error } })
  },

  async markDead(id: string, error: string) {
    await prisma().$transaction(async (tx) => {
      await tx.outboxMessage.update({ where: { id }, data: { status: 'DEAD', lockedUntil: null, lastError: error } })
      await publishForMessage(tx, id)
    })
  },

  /** The bearer token we present to a sender when delivering (null when it needs none). */
  async outboundToken(senderDosId: string | undefined): Promise<string | null> {
    if (!senderDosId) return null
    const s = await prisma().senderSystem.findUnique({ where: { dosServiceId: senderDosId }, select: { outboundToken: true } })
    return s?.outboundToken ?? null
  },

  async responseBaseUrl(senderDosId: string | undefined, tx?: Tx): Promise<string | null> {
    if (!senderDosId) return null
    const s = await (tx ?? prisma()).senderSystem.findUnique({ where: { dosServiceId: senderDosId }, select: { responseBaseUrl: true } })
    return s?.responseBaseUrl ?? null
  },

  /** For the admin screen: pending and dead letters first, then the latest deliveries. */
  async list(limit = 100): Promise<TOutboxListItem[]> {
    const select = {
      id: true, kind: true, status: true, attempts: true, createdAt: true, nextAttemptAt: true, deliveredAt: true, lastError: true, targetBaseUrl: true,
      referral: { select: { id: true, caseReference: true, senderName: true } },
    } as const
    const open = await prisma().outboxMessage.findMany({ where: { status: { in: ['PENDING', 'DEAD'] } }, orderBy: { createdAt: 'asc' }, take: limit, select })
    const delivered = await prisma().outboxMessage.findMany({ where: { status: 'DELIVERED' }, orderBy: { deliveredAt: 'desc' }, take: 20, select })
    return [...open, ...delivered]
  },

  async find(id: string) {
    return prisma().outboxMessage.findUnique({ where: { id }, select: { id: true, status: true, targetEndpoint: true, referralId: true, correlationId: true } })
  },

  /** Put a message back in the queue now (same body and ids), with the sender's current base URL. */
  async requeue(id: string, now: Date, targetBaseUrl: string | null): Promise<boolean> {
    const n = await prisma().outboxMessage.updateMany({
      where: { id, status: { in: ['DEAD', 'PENDING'] } },
      data: { status: 'PENDING', nextAttemptAt: now, lockedUntil: null, ...(targetBaseUrl ? { targetBaseUrl } : {}) },
    })
    return n.count === 1
  },

  async forReferral(referralId: string) {
    return prisma().outboxMessage.findMany({
      where: { referralId },
      orderBy: { createdAt: 'asc' },
      select: { id: true, kind: true, status: true, attempts: true, createdAt: true, deliveredAt: true, lastError: true, nextAttemptAt: true },
    })
  },

  /** (triage, issue 11) Responses to senders that are stuck (lib/outbox/stuck.ts): dead, or still pending after `minAttempts` attempts; the oldest first. */
  async stuck(minAttempts: number, limit = 5) {
    const where = { referralId: { not: null }, OR: [{ status: 'DEAD' as const }, { status: 'PENDING' as const, attempts: { gte: minAttempts } }] }
    const [count, rows] = await Promise.all([
      prisma().outboxMessage.count({ where }),
      prisma().outboxMessage.findMany({ where, orderBy: { createdAt: 'asc' }, take: limit, select: { referral: { select: { id: true, caseReference: true } } } }),
    ])
    return { count, referrals: rows.flatMap((r) => (r.referral ? [r.referral] : [])) }
  },
}
