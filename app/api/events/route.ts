import { apiRoute } from '@/lib/http/with-route'
import { streamLiveEvents } from '@/lib/live/stream-live-events'

export const dynamic = 'force-dynamic'
export const runtime = 'nodejs'

// GET /api/events — Server-Sent Events of LiveEvent rows; resumes after Last-Event-ID (or ?after=).
export const GET = apiRoute({
  permission: 'referrals:read',
  handler: async ({ req, url }) => {
    const stream = await streamLiveEvents({ lastEventId: req.headers.get('last-event-id') ?? url.searchParams.get('after'), signal: req.signal })
    return new Response(stream, {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' },
    })
  },
})
