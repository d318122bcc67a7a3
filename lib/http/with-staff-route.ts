import { z } from 'zod'
import { can, type TPermission } from '@/lib/auth/permissions'
import { currentUser, type TStaffUser } from '@/lib/auth/session'
import { AppError, ERROR_KINDS, isAppError } from '@/lib/errors/app-error'
import { log } from '@/lib/log'

export interface TStaffContext {
  req: Request
  user: TStaffUser
  params: Record<string, string>
  ip?: string
}

/** Body of every staff API error: a kind the UI can branch on and a message it can show. */
export interface TStaffError {
  error: { kind: string; message: string }
}

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } })
}

export function staffErrorResponse(e: unknown): Response {
  if (e instanceof z.ZodError) return json(400, { error: { kind: 'invalid', message: e.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') } })
  if (isAppError(e)) return json(ERROR_KINDS[e.kind].status, { error: { kind: e.kind, message: e.message } })
  log.error('unhandled error in staff API route', { error: e instanceof Error ? e.name : typeof e })
  if (process.env.NODE_ENV !== 'production') console.error(e)
  return json(500, { error: { kind: 'server-error', message: 'Something went wrong. Try again.' } })
}

/**
 * The wrapper for JSON routes the staff screens call (app/api/**): a signed-in user holding the
 * permission, same-origin writes only, errors as { error: { kind, message } }.
 */
export function staffRoute(permission: TPermission, handler: (ctx: TStaffContext) => Promise<unknown>) {
  return async (req: Request, routeCtx?: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      if (req.method !== 'GET') {
        const origin = req.headers.get('origin')
        if (origin && new URL(origin).host !== req.headers.get('host')) throw new AppError('forbidden', 'Cross-site request refused.')
      }
      const user = await currentUser()
      if (!user) throw new AppError('unauthenticated', 'Sign in again to continue.')
      if (!can(user.roles, permission)) throw new AppError('forbidden', 'You do not have permission to do this.')
      const params = (await routeCtx?.params) ?? {}
      const ip = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined
      const result = await handler({ req, user, params, ip })
      if (result instanceof Response) return result
      return json(200, result)
    } catch (e) {
      return staffErrorResponse(e)
    }
  }
}
