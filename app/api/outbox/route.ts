import { staffRoute } from '@/lib/http/with-staff-route'
import { listOutbox } from '@/lib/outbox/list-outbox'

export const dynamic = 'force-dynamic'

export const GET = staffRoute('outbox:manage', async () => ({ messages: await listOutbox() }))
