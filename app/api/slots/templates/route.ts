import { z } from 'zod'
import { apiRoute } from '@/lib/http/with-route'
import { listTemplates } from '@/lib/slots/list-capacity'
import { saveTemplate, ZTemplateInput } from '@/lib/slots/save-template'
import { deskActor } from '@/lib/slots/slot-actor'

export const dynamic = 'force-dynamic'

export const GET = apiRoute({ permission: 'slots:read', handler: async ({ url }) => listTemplates(url.searchParams.get('serviceId') ?? '') })

export const POST = apiRoute({
  permission: 'slots:manage',
  body: z.object({ serviceId: z.string(), template: ZTemplateInput }),
  handler: async ({ body, user, ip }) => saveTemplate({ serviceId: body.serviceId, template: body.template, actor: deskActor(user, ip) }),
})
