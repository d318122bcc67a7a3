import { prisma } from '@/lib/db/prisma'
import { formatCursor, type TLiveCursor } from './live-cursor'
import type { SqlTx } from '@/lib/db/sql'
import { sql, writeBehind } from '@/lib/db/sql-fragment'

export type TLiveEventType = 'referral.received' | 'referral.updated' | 'booking.changed' | 'validation.received' | 'validation.updated'

export interface TLiveEvent {
  id: string
  /** The stream position of this event (formatCursor of its txid and id): the SSE id. */
  cursor: string
  type: string
  serviceId: string | null
  entityId: string | null
  at: string
}

export interface TLiveBatch {
  events: TLiveEvent[]
  /** True when retention deleted events after the cursor: the client has missed some. */
  missed: boolean
  /** The retention mark (the newest position retention deleted), read in the same snapshot. */
  mark: TLiveCursor | null
  /** True when committed events wait behind a transaction still running (below the horizon). */
  pending: boolean
}

interface TRow {
  id: bigint | null
  txid: bigint | null
  type: string | null
  serviceId: string | null
  entityId: string | null
  at: Date | null
  throughTxid: bigint | null
  throughId: bigint | null
  pending: boolean
}

export const liveEventRepository = {
  /**
   * Written in the transaction of the change; the row's txid defaults to that transaction's id and
   * a trigger NOTIFYs listeners on every instance.
   */
  async publish(tx: SqlTx, type: TLiveEventType, serviceId: string, entityId: string) {
    // Deferred where the transaction can (lib/db/sql.ts): sent with its next statement.
    await writeBehind(tx, () => sql`INSERT INTO "LiveEvent" ("type", "serviceId", "entityId") VALUES (${type}, ${serviceId}::uuid, ${entityId})`)
  },

  /**
   * The oldest transaction id that may still be running: every transaction below it has committed
   * or aborted, so no LiveEvent row with a smaller txid can appear any more.
   */
  async horizon(): Promise<bigint> {
    const [row] = await prisma().$queryRaw<{ h: bigint }[]>`SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS h`
    return row!.h
  },

  /**
   * The cursor a fresh client starts from (read it *before* reading the data it shows): every event
   * of a transaction finished by now is reflected in that data; anything later is streamed.
   */
  async latestId(): Promise<string> {
    return formatCursor({ txid: await liveEventRepository.horizon(), id: BigInt(0) })
  },

  /**
   * Events after a cursor in (txid, id) order, only those of transactions below `horizon` (read
   * beforehand, so this statement's snapshot sees all of them). The table is the source of truth;
   * NOTIFY only wakes us. The retention mark is read in the same snapshot as the events.
   */
  async listAfter(after: TLiveCursor, horizon: bigint, limit = 500): Promise<TLiveBatch> {
    const rows = await prisma().$queryRaw<TRow[]>`
      SELECT e."id", e."txid", e."type", e."serviceId"::text AS "serviceId", e."entityId", e."at", r."throughTxid", r."throughId",
        EXISTS (SELECT 1 FROM "LiveEvent" WHERE ("txid", "id") > (${after.txid}::bigint, ${after.id}::bigint) AND "txid" >= ${horizon}::bigint) AS "pending"
      FROM (SELECT 1) AS one
      LEFT JOIN "LiveEventRetention" r ON r."id" = 1
      LEFT JOIN LATERAL (
        SELECT "id", "txid", "type", "serviceId", "entityId", "at" FROM "LiveEvent"
        WHERE ("txid", "id") > (${after.txid}::bigint, ${after.id}::bigint) AND "txid" < ${horizon}::bigint
        ORDER BY "txid", "id"
        LIMIT ${limit}
      ) e ON true`
    const mark = rows[0]
    const missed =
      mark?.throughTxid != null && mark.throughId != null && (mark.throughTxid !== after.txid ? mark.throughTxid > after.txid : mark.throughId > after.id)
    const events: TLiveEvent[] = []
    for (const r of rows) {
      if (r.id === null || r.txid === null) continue
      events.push({
        id: r.id.toString(),
        cursor: formatCursor({ txid: r.txid, id: r.id }),
        type: r.type!,
        serviceId: r.serviceId,
        entityId: r.entityId,
        at: r.at!.toISOString(),
      })
    }
    const retained = mark?.throughTxid != null && mark.throughId != null ? { txid: mark.throughTxid, id: mark.throughId } : null
    return { events, missed, mark: retained, pending: mark?.pending === true }
  },

  /**
   * Retention: delete events older than the cut-off, in batches, and raise the retention mark to the
   * newest position deleted, in the same statement (so a stream never sees one without the other).
   */
  async deleteBefore(cutoff: Date, batch = 5000): Promise<number> {
    let total = 0
    for (;;) {
      const [row] = await prisma().$queryRaw<{ n: number }[]>`
        WITH d AS (
          DELETE FROM "LiveEvent" WHERE "id" IN (SELECT "id" FROM "LiveEvent" WHERE "at" < ${cutoff} LIMIT ${batch})
          RETURNING "txid", "id"
        ), mark AS (
          INSERT INTO "LiveEventRetention" ("id", "throughTxid", "throughId", "updatedAt")
          SELECT 1, "txid", "id", now() FROM d ORDER BY "txid" DESC, "id" DESC LIMIT 1
          ON CONFLICT ("id") DO UPDATE SET "throughTxid" = EXCLUDED."throughTxid", "throughId" = EXCLUDED."throughId", "updatedAt" = now()
          WHERE ("LiveEventRetention"."throughTxid", "LiveEventRetention"."throughId") < (EXCLUDED."throughTxid", EXCLUDED."throughId")
        )
        SELECT count(*)::int AS n FROM d`
      const n = row?.n ?? 0
      total += n
      if (n < batch) return total
    }
  },
}
