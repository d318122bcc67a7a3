import type { Prisma } from '@/generated/prisma/client'
import { dbText, likeText } from '@/lib/db/like'
import { prisma } from '@/lib/db/prisma'
import type { SqlTx } from '@/lib/db/sql'
import { execute, sql, type TSqlFragment } from '@/lib/db/sql-fragment'

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

export interface TAuditFilter {
  from?: Date
  to?: Date
  actorIds?: string[]
  actionPrefix?: string
  patientNhs?: string
  entityId?: string
  outcome?: 'success' | 'failure'
  /** Matches X-Request-Id or X-Correlation-Id. */
  transactionId?: string
}

export interface TAuditRow {
  id: string
  at: Date
  actorType: string
  actorId: string | null
  action: string
  entityType: string | null
  entityId: string | null
  patientNhs: string | null
  requestId: string | null
  correlationId: string | null
  outcome: string
  ip: string | null
  detail: unknown
}

/** Up to this many staff users, the search reads each one's rows on its own (see search). */
const SPLIT_ACTORS = 20

function where(f: TAuditFilter): Prisma.AuditEventWhereInput {
  return {
    ...(f.from || f.to ? { at: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {}),
    // One user: equality, so (actorId, id) serves the order with no sort.
    ...(f.actorIds ? (f.actorIds.length === 1 ? { actorId: f.actorIds[0] } : { actorId: { in: f.actorIds } }) : {}),
    ...(f.actionPrefix ? { action: { startsWith: likeText(f.actionPrefix) } } : {}),
    ...(f.patientNhs ? { patientNhs: f.patientNhs } : {}),
    ...(f.entityId ? { entityId: f.entityId } : {}),
    ...(f.outcome ? { outcome: f.outcome } : {}),
    ...(f.transactionId ? { OR: [{ requestId: dbText(f.transactionId) }, { correlationId: dbText(f.transactionId) }] } : {}),
  }
}

const toRow = (r: { id: bigint } & Omit<TAuditRow, 'id'>): TAuditRow => ({ ...r, id: r.id.toString() })

/** Rows recorded in a transaction of lib/db/sql.ts, not yet written (see record). */
const pending = new WeakMap<SqlTx, TAuditInput[]>()

/** Several rows in one statement (one array per column), ids in the order given. */
function insertRows(rows: TAuditInput[]): TSqlFragment {
  const col = <K extends keyof TAuditInput>(k: K) => rows.map((r) => r[k] ?? null)
  return sql`
    INSERT INTO "AuditEvent" ("actorType", "actorId", "action", "entityType", "entityId", "patientNhs", "requestId", "correlationId", "outcome", "ip", "detail")
    SELECT "actorType", "actorId", "action", "entityType", "entityId", "patientNhs", "requestId", "correlationId", "outcome", "ip", "detail" FROM unnest(${col('actorType')}::text[], ${col('actorId')}::text[], ${col('action')}::text[], ${col('entityType')}::text[], ${col('entityId')}::text[],
      ${col('patientNhs')}::text[], ${col('requestId')}::text[], ${col('correlationId')}::text[], ${col('outcome')}::text[], ${col('ip')}::text[],
      ${rows.map((r) => (r.detail === undefined ? null : JSON.stringify(r.detail)))}::jsonb[])
      WITH ORDINALITY AS r ("actorType", "actorId", "action", "entityType", "entityId", "patientNhs", "requestId", "correlationId", "outcome", "ip", "detail", "n")
    ORDER BY "n"`
}

export const auditRepository = {
  /**
   * Append an audit row; pass the transaction when the audited change is in one. In a transaction
   * of lib/db/sql.ts (the message path) the rows are deferred (SqlTx.defer): gathered, and written
   * in one statement with the transaction's next statement or before COMMIT, in the order recorded.
   * A message's own row and its API call's row so cost no round trip of their own, and they commit
   * or roll back with the message as before. Nothing reads audit rows inside a transaction.
   */
  async record(event: TAuditInput, tx?: SqlTx) {
    if (tx?.defer) {
      let rows = pending.get(tx)
      if (!rows) {
        const gathered: TAuditInput[] = (rows = [])
        pending.set(tx, gathered)
        tx.defer(() => {
          pending.delete(tx) // sent: a row recorded later starts a new write
          return insertRows(gathered)
        })
      }
      rows.push(event)
      return
    }
    await execute(tx ?? prisma(), insertRows([event]))
  },

  /**
   * Newest first; `before` is the id of the last row of the previous page. Several staff users (a
   * name that matches a few) are read one user at a time and merged: `actorId = $1 ORDER BY id DESC
   * LIMIT n` is always a short range of (actorId, id), whereas `actorId IN (…) ORDER BY id DESC`
   * lets the planner choose a backward scan of the whole table, which for a rarely seen user reads
   * every row of 8 years (it did so in about one test run in six). Past SPLIT_ACTORS users, one query.
   */
  async search(filter: TAuditFilter, page: { take: number; before?: string }): Promise<TAuditRow[]> {
    const read = (f: TAuditFilter) =>
      prisma().auditEvent.findMany({
        where: { ...where(f), ...(page.before ? { id: { lt: BigInt(page.before) } } : {}) },
        orderBy: { id: 'desc' },
        take: page.take,
      })
    const actors = filter.actorIds ?? []
    if (actors.length < 2 || actors.length > SPLIT_ACTORS) return (await read(filter)).map(toRow)
    const each = await Promise.all(actors.map((a) => read({ ...filter, actorIds: [a] })))
    return each
      .flat()
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, page.take)
      .map(toRow)
  },

  /** Every row about one record (its audit tab), oldest first. */
  async forRecord(entityType: string, entityId: string, take = 500): Promise<TAuditRow[]> {
    const rows = await prisma().auditEvent.findMany({ where: { entityType, entityId }, orderBy: { id: 'asc' }, take })
    return rows.map(toRow)
  },

  /** Retention: delete rows older than the cut-off, in batches so no long lock is held. */
  async deleteBefore(cutoff: Date, batch = 5000): Promise<number> {
    let total = 0
    for (;;) {
      const n = await prisma().$executeRaw`
        DELETE FROM "AuditEvent" WHERE "id" IN (SELECT "id" FROM "AuditEvent" WHERE "at" < ${cutoff} LIMIT ${batch})`
      total += n
      if (n < batch) return total
    }
  },
}
