import { AppError } from '@/lib/errors/app-error'

/** A unique-constraint violation (Prisma P2002) → 409 with a message the admin can act on. */
export function rethrowDuplicate(e: unknown, message: string): never {
  if (typeof e === 'object' && e !== null && (e as { code?: string }).code === 'P2002') throw new AppError('duplicate', message)
  throw e
}

export function assertUuid(id: string, what: string): void {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('not-found', `No such ${what}.`)
}
