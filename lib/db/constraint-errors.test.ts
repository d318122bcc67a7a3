import { describe, expect, it } from 'vitest'
import { constraintConflict, pgViolation } from './constraint-errors'

/** The shape Prisma 6.19 with @prisma/adapter-pg gives a unique violation (captured from a real run). */
const prismaP2002 = {
  name: 'PrismaClientKnownRequestError',
  code: 'P2002',
  message: 'Unique constraint failed on the fields: (`"serviceId"`, `"correlationId"`)',
  meta: {
    modelName: 'Referral',
    driverAdapterError: {
      name: 'DriverAdapterError',
      cause: {
        originalCode: '23505',
        originalMessage: 'duplicate key value violates unique constraint "Referral_one_active_per_conversation"',
        kind: 'UniqueConstraintViolation',
        constraint: { fields: ['"serviceId"', '"correlationId"'] },
      },
    },
  },
}
/** A raw query ($executeRaw) reports the same violation as P2010 with the message in the text. */
const prismaP2010 = { code: 'P2010', message: 'Raw query failed. Code: `23505`. Message: `duplicate key value violates unique constraint "Booking_one_current_per_referral"`' }

describe('constraintConflict', () => {
  it('finds the SQLSTATE and constraint name inside a Prisma error', () => {
    expect(pgViolation(prismaP2002)).toEqual({ sqlState: '23505', constraint: 'Referral_one_active_per_conversation' })
    expect(pgViolation(prismaP2010)?.constraint).toBe('Booking_one_current_per_referral')
  })

  it('maps each named rule to its 409 conflict with a message for the sender', () => {
    const e = constraintConflict(prismaP2002)!
    expect(e.kind).toBe('conflict')
    expect(e.status).toBe(409)
    expect(e.message).toMatch(/active referral already exists for this X-Correlation-Id/)
    expect(e.expression).toEqual(['ServiceRequest'])
    expect(constraintConflict(prismaP2010)?.message).toMatch(/already has a current booking/)
  })

  it('leaves anything else alone (the route wrapper decides about unknown errors)', () => {
    expect(constraintConflict(new Error('boom'))).toBeUndefined()
    expect(constraintConflict({ code: 'P2002', meta: { driverAdapterError: { cause: { originalMessage: 'duplicate key value violates unique constraint "Other_key"' } } } })).toBeUndefined()
    expect(constraintConflict(null)).toBeUndefined()
  })
})
