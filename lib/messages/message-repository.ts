import { Prisma } from '@/generated/prisma/client'
import { prisma, type Tx } from '@/lib/db/prisma'

export type TBeginResult =
  | { kind: 'started'; messageId: string }
  | { kind: 'succeeded' }
  | { kind: 'in-flight' }
  | { kind: 'failed'; status: number; body: unknown }

export interface TBeginInput {
  requestId: string
  correlationId: string
  serviceId: string
  headers: Record<string, unknown>
  rawBundle: unknown
  leaseSeconds: number
}

/**
 * The idempotency record of $process-message, keyed on (X-Request-Id, X-Correlation-Id) and held
 * in PostgreSQL so every app instance sees the same state.
 */
export const messageRepository = {
  /** Record the message before processing; or say what an earlier attempt with the same ids did. */
  async begin(input: TBeginInput): Promise<TBeginResult> {
    const db = prisma()
    const inserted = await db.$queryRaw<{ id: string }[]>`
      INSERT INTO "InboundMessage" ("id", "requestId", "correlationId", "state", "serviceId", "headers", "rawBundle")
      VALUES (gen_random_uuid(), ${input.requestId}::uuid, ${input.correlationId}::uuid, 'PROCESSING', ${input.serviceId}::uuid,
              ${JSON.stringify(input.headers)}::jsonb, ${input.rawBundle === undefined ? null : JSON.stringify(input.rawBundle)}::jsonb)
      ON CONFLICT ("requestId", "correlationId") DO NOTHING
      RETURNING "id"`
    if (inserted[0]) return { kind: 'started', messageId: inserted[0].id }

    // A PROCESSING record whose lease ran out belonged to an instance that died: take it over.
    const taken = await db.$queryRaw<{ id: string }[]>`
      UPDATE "InboundMessage" SET "receivedAt" = now()
      WHERE "requestId" = ${input.requestId}::uuid AND "correlationId" = ${input.correlationId}::uuid
        AND "state" = 'PROCESSING' AND "receivedAt" < now() - make_interval(secs => ${input.leaseSeconds})
      RETURNING "id"`
    if (taken[0]) return { kind: 'started', messageId: taken[0].id }

    const existing = await db.inboundMessage.findUnique({
      where: { requestId_correlationId: { requestId: input.requestId, correlationId: input.correlationId } },
      select: { state: true, responseStatus: true, responseBody: true },
    })
    if (!existing || existing.state === 'PROCESSING') return { kind: 'in-flight' }
    if (existing.state === 'SUCCEEDED') return { kind: 'succeeded' }
    return { kind: 'failed', status: existing.responseStatus ?? 500, body: existing.responseBody }
  },

  /** Inside the domain transaction: the message is done, atomically with what it changed. */
  async markSucceeded(tx: Tx, messageId: string, info: { bundleId?: string; eventCode: string; reasonCode?: string; workflow: string; status: number }) {
    await tx.inboundMessage.update({
      where: { id: messageId },
      data: { state: 'SUCCEEDED', completedAt: new Date(), bundleId: info.bundleId, eventCode: info.eventCode, reasonCode: info.reasonCode, workflow: info.workflow, responseStatus: info.status },
    })
  },

  /** The sender's mistake: remembered, so that a retry gets the same answer. */
  async markFailed(messageId: string, status: number, body: unknown) {
    await prisma().inboundMessage.update({
      where: { id: messageId },
      data: { state: 'FAILED', completedAt: new Date(), responseStatus: status, responseBody: body as Prisma.InputJsonValue },
    })
  },

  /** The message we sent whose Bundle.id a servicerequest-response names (MessageHeader.response.identifier). */
  async findOutboxByBundleId(tx: Tx, bundleId: string): Promise<{ id: string; referralId: string | null; kind: string } | null> {
    const rows = await tx.$queryRaw<{ id: string; referralId: string | null; kind: string }[]>`
      SELECT "id", "referralId", "kind" FROM "OutboxMessage" WHERE "bundle"->>'id' = ${bundleId} ORDER BY "createdAt" DESC LIMIT 1`
    return rows[0] ?? null
  },

  /** Our own failure (5xx): forget the attempt so that the sender's retry is processed afresh. */
  async release(messageId: string) {
    await prisma().inboundMessage.delete({ where: { id: messageId } }).catch(() => undefined)
  },
}
