import { z } from 'zod'
import { apiRoute } from '@/lib/http/with-route'
import { listInbox } from '@/lib/referrals/list-inbox'

export const dynamic = 'force-dynamic'

const ZInboxQuery = z.object({
  state: z.string().max(20).optional(),
  q: z.string().max(100).optional(),
  useCase: z.string().max(20).optional(),
  sender: z.string().max(20).optional(),
  service: z.string().max(20).optional(),
  date: z.string().max(10).optional(),
  sort: z.string().max(20).optional(),
  dir: z.string().max(4).optional(),
  show: z.string().max(5).optional(),
})

// GET /api/referrals — the worklist (filters in the query string).
export const GET = apiRoute({ permission: 'referrals:read', query: ZInboxQuery, handler: async ({ query }) => listInbox(query) })
