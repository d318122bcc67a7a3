import { AppError } from '@/lib/errors/app-error'

/** The AppError a synchronous call throws (fails the test if it throws nothing or something else). */
export function caught(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected an AppError')
}
