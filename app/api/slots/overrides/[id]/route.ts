import { staffRoute } from '../../_lib/staff-route'
import { removeOverride } from '@/lib/slots/change-capacity'

export const dynamic = 'force-dynamic'

export const DELETE = staffRoute<{ id: string }>('slots:manage', async ({ params, actor }) => removeOverride({ overrideId: params.id, actor }))
