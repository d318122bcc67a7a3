import { z } from 'zod'
import { apiRoute } from '@/lib/http/with-route'
import { viewTemplate } from '@/lib/slots/list-capacity'
import { deleteTemplate, saveTemplate, ZTemplateInput } from '@/lib/slots/save-template'
import { deskActor } from '@/lib/slots/slot-actor'

export const dynamic = 'force-dynamic'

export const GET = apiRoute({ permission: 'slots:read', handler: async ({ params }) => viewTemplate(params.id ?? '') })

export const PUT = apiRoute({
  permission: 'slots:manage',
  body: z.object({ serviceId: z.string(), template: ZTemplateInput }),
  handler: async ({ body, params, user, ip }) => saveTemplate({ serviceId: body.serviceId, templateId: params.id, template: body.template, actor: deskActor(user, ip) }),
})

export const DELETE = apiRoute({ permission: 'slots:manage', handler: async ({ params, user, ip }) => deleteTemplate({ templateId: params.id ?? '', actor: deskActor(user, ip) }) })
