import { apiRoute } from '@/lib/http/with-route'
import { listOutbox } from '@/lib/outbox/list-outbox'

export const dynamic = 'force-dynamic'

export const GET = apiRoute({ permission: 'outbox:manage', handler: async () => ({ messages: await listOutbox() }) })
