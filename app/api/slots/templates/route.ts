import { z } from 'zod'
import { readBody, staffRoute } from '../_lib/staff-route'
import { listTemplates } from '@/lib/slots/list-capacity'
import { saveTemplate, ZTemplateInput } from '@/lib/slots/save-template'

export const dynamic = 'force-dynamic'

export const GET = staffRoute('slots:read', async ({ url }) => listTemplates(url.searchParams.get('serviceId') ?? ''))

export const POST = staffRoute('slots:manage', async ({ req, actor }) => {
  const { serviceId, template } = await readBody(req, z.object({ serviceId: z.string(), template: ZTemplateInput }))
  return saveTemplate({ serviceId, template, actor })
})
