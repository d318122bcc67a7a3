import { headers } from 'next/headers'
import { notFound } from 'next/navigation'
import { isAppError } from '@/lib/errors/app-error'

/** For pages: an AppError not-found becomes the 404 page. */
export async function orNotFound<T>(p: Promise<T>): Promise<T> {
  try {
    return await p
  } catch (e) {
    if (isAppError(e) && e.kind === 'not-found') notFound()
    throw e
  }
}

/** The viewer's address for audit rows written while rendering a page. */
export async function pageClientAddress(): Promise<string | undefined> {
  const h = await headers()
  return h.get('x-forwarded-for')?.split(',')[0]?.trim() || h.get('x-real-ip') || undefined
}
