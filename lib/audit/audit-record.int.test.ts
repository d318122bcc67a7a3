/**
 * Audit rows recorded inside a transaction of lib/db/sql.ts (the message path) are gathered and
 * written in one deferred statement (SqlTx.defer: with the transaction's next statement, or before
 * COMMIT): they must come out exactly as recorded, in order, and share the transaction's fate.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { prisma } from '@/lib/db/prisma'
import { closeSqlPool, sqlTransaction, type SqlTx } from '@/lib/db/sql'
import { auditRepository, type TAuditInput } from './audit-repository'

afterAll(() => closeSqlPool())

const marker = () => `audit-record-${crypto.randomUUID()}`

/** A transaction whose statements and deferred writes are seen (to check the rows cost one INSERT). */
function counting(tx: SqlTx, seen: string[]): SqlTx {
  return {
    $queryRaw: (s, ...v) => (seen.push(s.join('?')), tx.$queryRaw(s, ...v)),
    $executeRaw: (s, ...v) => (seen.push(s.join('?')), tx.$executeRaw(s, ...v)),
    defer: (build) =>
      tx.defer!(() => {
        const f = build()
        seen.push(f.strings.join('?'))
        return f
      }),
  }
}

describe('auditRepository.record in a sql transaction', () => {
  it('writes every row as recorded, in order, in one INSERT with the next statement', async () => {
    const action = marker()
    const rows: TAuditInput[] = [
      { actorType: 'SENDER', actorId: 'A1', action, entityType: 'Referral', entityId: 'r-1', patientNhs: '9000000009', requestId: 'q', correlationId: 'c', outcome: 'success', ip: '10.0.0.1', detail: { status: 200, nested: { quote: 'a "b" \\ c', list: [1, null] } } },
      { actorType: 'SYSTEM', action, outcome: 'failure' },
      { actorType: 'USER', actorId: 'u,{2}', action, outcome: 'success', detail: {} },
    ]
    const seen: string[] = []
    await sqlTransaction(async (raw) => {
      const tx = counting(raw, seen)
      for (const r of rows) await auditRepository.record(r, tx)
      // Nothing is sent until the transaction's next statement (or its end).
      expect(seen).toEqual([])
      await tx.$queryRaw`SELECT 1`
      // A row recorded after that is a second write, sent before COMMIT.
      await auditRepository.record({ actorType: 'SYSTEM', action, outcome: 'later' }, tx)
    })
    expect(seen.filter((s) => s.includes('INSERT INTO "AuditEvent"'))).toHaveLength(2)
    const stored = await prisma().auditEvent.findMany({ where: { action }, orderBy: { id: 'asc' } })
    expect(stored.map((s) => ({ actorType: s.actorType, actorId: s.actorId, entityType: s.entityType, entityId: s.entityId, patientNhs: s.patientNhs, requestId: s.requestId, correlationId: s.correlationId, outcome: s.outcome, ip: s.ip, detail: s.detail }))).toEqual([
      { actorType: 'SENDER', actorId: 'A1', entityType: 'Referral', entityId: 'r-1', patientNhs: '9000000009', requestId: 'q', correlationId: 'c', outcome: 'success', ip: '10.0.0.1', detail: { status: 200, nested: { quote: 'a "b" \\ c', list: [1, null] } } },
      { actorType: 'SYSTEM', actorId: null, entityType: null, entityId: null, patientNhs: null, requestId: null, correlationId: null, outcome: 'failure', ip: null, detail: null },
      { actorType: 'USER', actorId: 'u,{2}', entityType: null, entityId: null, patientNhs: null, requestId: null, correlationId: null, outcome: 'success', ip: null, detail: {} },
      { actorType: 'SYSTEM', actorId: null, entityType: null, entityId: null, patientNhs: null, requestId: null, correlationId: null, outcome: 'later', ip: null, detail: null },
    ])
  })

  it('rolls back with the transaction, and a row that cannot be written rolls the whole transaction back', async () => {
    const action = marker()
    await expect(
      sqlTransaction(async (tx) => {
        await auditRepository.record({ actorType: 'SYSTEM', action, outcome: 'success' }, tx)
        throw new Error('the work failed')
      }),
    ).rejects.toThrow('the work failed')
    expect(await prisma().auditEvent.count({ where: { action } })).toBe(0)

    // The flush fails (outcome is NOT NULL): the other write of the transaction is undone too.
    const other = marker()
    await expect(
      sqlTransaction(async (tx) => {
        await auditRepository.record({ actorType: 'SYSTEM', action: other, outcome: 'success' }, tx)
        await auditRepository.record({ actorType: 'SYSTEM', action, outcome: null as unknown as string }, tx)
      }),
    ).rejects.toThrow()
    expect(await prisma().auditEvent.count({ where: { action: { in: [action, other] } } })).toBe(0)
  })

  it('without a sql transaction (Prisma or none) the row is written at once', async () => {
    const action = marker()
    await prisma().$transaction(async (tx) => {
      await auditRepository.record({ actorType: 'SYSTEM', action, outcome: 'success' }, tx)
      expect(await tx.auditEvent.count({ where: { action } })).toBe(1)
    })
    await auditRepository.record({ actorType: 'SYSTEM', action, outcome: 'success' })
    expect(await prisma().auditEvent.count({ where: { action } })).toBe(2)
  })
})
