import { staffRoute } from '../../_lib/staff-route'
import { viewBooking } from '@/lib/slots/view-slot-window'

export const dynamic = 'force-dynamic'

export const GET = staffRoute<{ id: string }>('slots:read', async ({ params, user }) => viewBooking({ bookingId: params.id, roles: user.roles }))
