import { describe, expect, it } from 'vitest'
import { guardTransaction } from './guarded-adapter'

/** A stand-in for adapter-pg's PgTransaction: the pooled client it holds, and COMMIT that fails like a dropped connection. */
function fakeTx(fail: RegExp) {
  const released: unknown[] = []
  let cleaned = 0
  const tx = {
    client: { release: (err?: unknown) => released.push(err ?? 'released') },
    cleanup: () => cleaned++,
    executeRaw: async (q: { sql: string }) => {
      if (fail.test(q.sql)) throw new Error('Connection terminated unexpectedly')
      return 0
    },
  }
  return { tx: guardTransaction(tx as never) as unknown as typeof tx, released, cleaned: () => cleaned }
}
const q = (sql: string) => ({ sql, args: [], argTypes: [] })

describe('guardTransaction: a transaction whose end fails still gives its connection back', () => {
  it('a failed COMMIT or ROLLBACK releases the client (discarding it) once, and the error still reaches Prisma', async () => {
    for (const statement of ['COMMIT', 'ROLLBACK']) {
      const f = fakeTx(/^(COMMIT|ROLLBACK)$/)
      await expect(f.tx.executeRaw(q(statement))).rejects.toThrow('Connection terminated unexpectedly')
      expect(f.released).toHaveLength(1)
      expect(f.released[0]).toBeInstanceOf(Error) // release(err): the pool destroys the connection
      expect(f.cleaned()).toBe(1)
      await expect(f.tx.executeRaw(q(statement))).rejects.toThrow()
      expect(f.released).toHaveLength(1) // never twice
    }
  })

  it('a failing statement inside the transaction does not release it (Prisma rolls back next), nor does a successful end', async () => {
    const f = fakeTx(/^UPDATE/)
    await expect(f.tx.executeRaw(q('UPDATE "Slot" SET booked = booked + 1'))).rejects.toThrow()
    expect(await f.tx.executeRaw(q('ROLLBACK'))).toBe(0)
    expect(f.released).toHaveLength(0)
  })
})
