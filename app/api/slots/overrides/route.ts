import { z } from 'zod'
import { apiRoute } from '@/lib/http/with-route'
import { addOverride, ZOverrideInput } from '@/lib/slots/change-capacity'
import { listOverrides } from '@/lib/slots/list-capacity'
import { deskActor } from '@/lib/slots/slot-actor'

export const dynamic = 'force-dynamic'

export const GET = apiRoute({ permission: 'slots:read', handler: async ({ url }) => listOverrides(url.searchParams.get('serviceId') ?? '') })

export const POST = apiRoute({
  permission: 'slots:manage',
  body: z.object({ serviceId: z.string(), override: ZOverrideInput }),
  handler: async ({ body, user, ip }) => addOverride({ serviceId: body.serviceId, override: body.override, actor: deskActor(user, ip) }),
})
