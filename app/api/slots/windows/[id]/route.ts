import { apiRoute } from '@/lib/http/with-route'
import { viewSlotWindow } from '@/lib/slots/view-slot-window'

export const dynamic = 'force-dynamic'

export const GET = apiRoute({ permission: 'slots:read', handler: async ({ params, user }) => viewSlotWindow({ slotId: params.id ?? '', roles: user.roles }) })
