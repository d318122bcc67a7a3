import { headers } from 'next/headers'
import { notFound } from 'next/navigation'
import { isAppError } from '@/lib/errors/app-error'
import { isRecordId } from './route-params'

/** For pages: the `[id]` of the URL, or the 404 page when it is not a record id (never a 500). */
export function pageRecordId(raw: string | undefined): string {
  if (!isRecordId(raw)) notFound()
  return raw.toLowerCase()
}

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
