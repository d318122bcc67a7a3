import { z } from 'zod'
import { readBody, staffRoute } from '../../_lib/staff-route'
import { viewTemplate } from '@/lib/slots/list-capacity'
import { deleteTemplate, saveTemplate, ZTemplateInput } from '@/lib/slots/save-template'

export const dynamic = 'force-dynamic'

export const GET = staffRoute<{ id: string }>('slots:read', async ({ params }) => viewTemplate(params.id))

export const PUT = staffRoute<{ id: string }>('slots:manage', async ({ req, params, actor }) => {
  const { serviceId, template } = await readBody(req, z.object({ serviceId: z.string(), template: ZTemplateInput }))
  return saveTemplate({ serviceId, templateId: params.id, template, actor })
})

export const DELETE = staffRoute<{ id: string }>('slots:manage', async ({ params, actor }) => deleteTemplate({ templateId: params.id, actor }))
