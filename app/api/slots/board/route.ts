import { apiRoute } from '@/lib/http/with-route'
import { viewSlotBoard } from '@/lib/slots/view-slot-board'

export const dynamic = 'force-dynamic'

// GET /api/slots/board?serviceId=…&date=YYYY-MM-DD&view=day|week
export const GET = apiRoute({
  permission: 'slots:read',
  handler: async ({ url }) =>
    viewSlotBoard({
      serviceId: url.searchParams.get('serviceId') ?? '',
      date: url.searchParams.get('date') ?? undefined,
      view: url.searchParams.get('view') === 'week' ? 'week' : 'day',
    }),
})
