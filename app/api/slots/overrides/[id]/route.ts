import { apiRoute } from '@/lib/http/with-route'
import { removeOverride } from '@/lib/slots/change-capacity'
import { deskActor } from '@/lib/slots/slot-actor'

export const dynamic = 'force-dynamic'

export const DELETE = apiRoute({ permission: 'slots:manage', handler: async ({ params, user, ip }) => removeOverride({ overrideId: params.id ?? '', actor: deskActor(user, ip) }) })
