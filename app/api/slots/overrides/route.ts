import { z } from 'zod'
import { readBody, staffRoute } from '../_lib/staff-route'
import { addOverride, ZOverrideInput } from '@/lib/slots/change-capacity'
import { listOverrides } from '@/lib/slots/list-capacity'

export const dynamic = 'force-dynamic'

export const GET = staffRoute('slots:read', async ({ url }) => listOverrides(url.searchParams.get('serviceId') ?? ''))

export const POST = staffRoute('slots:manage', async ({ req, actor }) => {
  const { serviceId, override } = await readBody(req, z.object({ serviceId: z.string(), override: ZOverrideInput }))
  return addOverride({ serviceId, override, actor })
})
