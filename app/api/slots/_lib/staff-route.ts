/**
 * JSON routes of the desk screens: the signed-in user must hold the permission (401 / 403 JSON),
 * AppError kinds become their HTTP status with a message safe to show, anything else a plain 500.
 */
import { z } from 'zod'
import { can, type TPermission } from '@/lib/auth/permissions'
import { currentUser, type TStaffUser } from '@/lib/auth/session'
import { AppError, isAppError } from '@/lib/errors/app-error'
import { log } from '@/lib/log'
import type { TActor } from '@/lib/slots/slot-actor'

export interface TStaffContext<P> {
  req: Request
  url: URL
  user: TStaffUser
  actor: TActor
  params: P
}

const json = (status: number, body: unknown) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } })

export function staffRoute<P = Record<string, string>>(permission: TPermission, handler: (ctx: TStaffContext<P>) => Promise<unknown>) {
  return async (req: Request, routeCtx: { params: Promise<P> }) => {
    const user = await currentUser()
    if (!user) return json(401, { error: 'Sign in to continue.' })
    if (!can(user.roles, permission)) return json(403, { error: 'You do not have permission to do this.' })
    try {
      const ip = req.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || undefined
      const result = await handler({ req, url: new URL(req.url), user, actor: { id: user.id, roles: user.roles, ip }, params: await routeCtx.params })
      return json(200, result ?? { ok: true })
    } catch (e) {
      if (isAppError(e)) return json(e.status, { error: e.message, field: e.expression?.[0] })
      if (e instanceof z.ZodError) return json(400, { error: e.issues[0]?.message ?? 'Check your answers.', field: e.issues[0]?.path.join('.') })
      log.error('unhandled error in staff route', { path: new URL(req.url).pathname, error: e instanceof Error ? e.name : typeof e })
      return json(500, { error: 'Something went wrong. Try again.' })
    }
  }
}

/** The JSON body, checked against a schema (400 with the first problem otherwise). */
export async function readBody<T extends z.ZodType>(req: Request, schema: T): Promise<z.infer<T>> {
  let raw: unknown
  try {
    raw = await req.json()
  } catch {
    throw new AppError('invalid', 'The request body is not JSON.')
  }
  return schema.parse(raw)
}
