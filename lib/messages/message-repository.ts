import type { SqlTx } from '@/lib/db/sql'
import { sql, writeBehind } from '@/lib/db/sql-fragment'
import type { Tx } from '@/lib/db/prisma'

export type TClaimResult =
  | { kind: 'started'; messageId: string }
  | { kind: 'succeeded' }
  | { kind: 'in-flight' }
  | { kind: 'failed'; status: number; body: unknown }

export interface TClaimInput {
  requestId: string
  correlationId: string
  serviceId: string
  headers: Record<string, unknown>
  /** The request body as received (stored once: the versions a message makes point at it). */
  rawBundle: unknown
  /** Its text as received, when the caller has it: stored verbatim (the column is `json`, not `jsonb`). */
  rawText?: string
  /**
   * What the parsed message says, when it was valid: written with the claim, so that marking it
   * done changes no indexed column (`bundleId` is indexed) and PostgreSQL can update the row in
   * place (a HOT update: no new index entries).
   */
  parsed?: TMessageFacts
}

/** The message's facts kept on its record. */
export interface TMessageFacts {
  bundleId?: string
  eventCode: string
  reasonCode?: string
  workflow: string
}

/** What goes in InboundMessage.rawBundle: the text as received, else the parsed body as JSON. */
const rawJson = (input: TClaimInput): string | null => input.rawText ?? (input.rawBundle === undefined ? null : JSON.stringify(input.rawBundle))

interface TExisting {
  id: string
  state: 'PROCESSING' | 'SUCCEEDED' | 'FAILED'
  responseStatus: number | null
  responseBody: unknown
}

/** What the committed record of an earlier attempt with these ids says. */
async function earlier(tx: SqlTx, ids: { requestId: string; correlationId: string }): Promise<TClaimResult> {
  const [row] = await tx.$queryRaw<TExisting[]>`
    SELECT "id", "state"::text AS "state", "responseStatus", "responseBody" FROM "InboundMessage"
    WHERE "requestId" = ${ids.requestId}::uuid AND "correlationId" = ${ids.correlationId}::uuid`
  if (!row) return { kind: 'in-flight' }
  if (row.state === 'SUCCEEDED') return { kind: 'succeeded' }
  if (row.state === 'FAILED') return { kind: 'failed', status: row.responseStatus ?? 500, body: row.responseBody }
  // A PROCESSING row committed by a release before issue 10 (it wrote the claim in a transaction
  // of its own): nobody holds its lock, so its attempt is over: take it over.
  return { kind: 'started', messageId: row.id }
}

/**
 * The idempotency record of $process-message, keyed on (X-Request-Id, X-Correlation-Id) and held
 * in PostgreSQL so every app instance sees the same state.
 *
 * The claim is made inside the message's one transaction (issue 10): the row commits with
 * everything the message changed, or not at all. While an attempt runs, its transaction holds a
 * transaction-level advisory lock on the key, so a second attempt arriving meanwhile is told
 * 425 at once (it does not queue behind the first); once the first has committed, the row says
 * what it did (409 duplicate, or the remembered refusal).
 */
export const messageRepository = {
  /** Claim the ids for this attempt, or say what an earlier attempt with the same ids did. */
  async claim(tx: SqlTx, input: TClaimInput): Promise<TClaimResult> {
    const [row] = await tx.$queryRaw<{ got: boolean; id: string | null }[]>`
      WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtextextended(${input.requestId} || '|' || ${input.correlationId}, 7)) AS got),
      ins AS (
        INSERT INTO "InboundMessage" ("id", "requestId", "correlationId", "state", "serviceId", "headers", "rawBundle", "bundleId", "eventCode", "reasonCode", "workflow")
        SELECT gen_random_uuid(), ${input.requestId}::uuid, ${input.correlationId}::uuid, 'PROCESSING'::"MessageState", ${input.serviceId}::uuid, ${JSON.stringify(input.headers)}::jsonb,
               ${rawJson(input)}::json, ${input.parsed?.bundleId ?? null}, ${input.parsed?.eventCode ?? null}, ${input.parsed?.reasonCode ?? null}, ${input.parsed?.workflow ?? null}
        FROM lock WHERE lock.got
        ON CONFLICT ("requestId", "correlationId") DO NOTHING
        RETURNING "id"
      )
      SELECT (SELECT got FROM lock) AS got, (SELECT "id" FROM ins) AS id`
    if (!row?.got) return { kind: 'in-flight' }
    if (row.id) return { kind: 'started', messageId: row.id }
    return earlier(tx, input)
  },

  /**
   * The sender's mistake, remembered so that a retry gets the same answer: the record is written
   * FAILED in a transaction of its own (the attempt's was rolled back). Waits for the key's lock,
   * so it cannot race an attempt still running; if another attempt already finished, its outcome
   * stands and is returned instead.
   */
  async recordRefusal(tx: SqlTx, input: TClaimInput, status: number, body: unknown): Promise<TClaimResult> {
    const [row] = await tx.$queryRaw<{ id: string | null }[]>`
      WITH lock AS (SELECT pg_advisory_xact_lock(hashtextextended(${input.requestId} || '|' || ${input.correlationId}, 7)) AS got)
      INSERT INTO "InboundMessage" ("id", "requestId", "correlationId", "state", "serviceId", "headers", "rawBundle", "completedAt", "responseStatus", "responseBody")
      SELECT gen_random_uuid(), ${input.requestId}::uuid, ${input.correlationId}::uuid, 'FAILED'::"MessageState", ${input.serviceId}::uuid, ${JSON.stringify(input.headers)}::jsonb,
             ${rawJson(input)}::json, now(), ${status}::int, ${JSON.stringify(body)}::jsonb
      FROM lock
      ON CONFLICT ("requestId", "correlationId") DO UPDATE SET "state" = 'FAILED', "completedAt" = now(), "responseStatus" = EXCLUDED."responseStatus", "responseBody" = EXCLUDED."responseBody"
        WHERE "InboundMessage"."state" = 'PROCESSING'
      RETURNING "id"`
    if (row?.id) return { kind: 'failed', status, body }
    return earlier(tx, input)
  },

  /**
   * Inside the domain transaction: the message is done, atomically with what it changed. Its last
   * write in the transaction: deferred where the transaction can (lib/db/sql.ts), so it is sent
   * with the transaction's next statement. It sets the facts again (the same values as the claim
   * wrote, so still an in-place update; a record taken over from an old release gets them here).
   */
  async markSucceeded(tx: SqlTx, messageId: string, info: TMessageFacts & { status: number }) {
    await writeBehind(
      tx,
      () => sql`
        UPDATE "InboundMessage" SET "state" = 'SUCCEEDED', "completedAt" = now(), "bundleId" = ${info.bundleId ?? null}, "eventCode" = ${info.eventCode},
          "reasonCode" = ${info.reasonCode ?? null}, "workflow" = ${info.workflow}, "responseStatus" = ${info.status}::int
        WHERE "id" = ${messageId}::uuid`,
    )
  },

  /** The message we sent whose Bundle.id a servicerequest-response names (MessageHeader.response.identifier). */
  async findOutboxByBundleId(tx: Tx, bundleId: string): Promise<{ id: string; referralId: string | null; kind: string } | null> {
    const rows = await tx.$queryRaw<{ id: string; referralId: string | null; kind: string }[]>`
      SELECT "id", "referralId", "kind" FROM "OutboxMessage" WHERE "bundle"->>'id' = ${bundleId} ORDER BY "createdAt" DESC LIMIT 1`
    return rows[0] ?? null
  },
}
