'use client'

import { useQueryClient, type QueryKey } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { cursorAfter, parseCursor } from '@/lib/live/live-cursor'
import { referralKeys } from './referral-queries'

export type TLiveStatus = 'connecting' | 'live' | 'reconnecting'

/** Already seen: both are stream positions and `id` is not after `last`. */
function seen(id: string, last: string | undefined): boolean {
  const a = parseCursor(id)
  const b = parseCursor(last)
  return a !== null && b !== null && !cursorAfter(a, b)
}

/**
 * Subscribe to /api/events from `cursor` (the list's own cursor, so nothing between loading the
 * list and subscribing is missed). The browser resumes with Last-Event-ID after a dropped
 * connection; if it gives up, we reopen from the last position we saw (the `txid.id` cursor). Every event invalidates the
 * queries under `keys` (the referral queries unless told otherwise), which TanStack Query refetches.
 * A `reload` event (we resumed from before the retention window, or from a cursor the server did
 * not issue) refetches every query. Nothing else is kept: no event history in the page.
 */
export function useLiveEvents(cursor: string | undefined, keys: readonly QueryKey[] = [referralKeys.all]): TLiveStatus {
  const client = useQueryClient()
  const last = useRef<string | undefined>(cursor)
  const [status, setStatus] = useState<TLiveStatus>('connecting')

  useEffect(() => {
    if (last.current === undefined) last.current = cursor
    let source: EventSource | null = null
    let retry: ReturnType<typeof setTimeout> | undefined
    let stopped = false
    const open = () => {
      source = new EventSource(`/api/events${last.current ? `?after=${last.current}` : ''}`)
      source.onopen = () => setStatus('live')
      source.onmessage = (m) => {
        if (seen(m.lastEventId, last.current)) return
        if (m.lastEventId) last.current = m.lastEventId
        for (const queryKey of keys) void client.invalidateQueries({ queryKey })
      }
      // Events were missed: the stream continues from now, and everything on the page is refetched.
      source.addEventListener('reload', (m) => {
        if ((m as MessageEvent).lastEventId) last.current = (m as MessageEvent).lastEventId
        void client.invalidateQueries()
      })
      source.onerror = () => {
        setStatus('reconnecting')
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close()
          retry = setTimeout(open, 3000)
        }
      }
    }
    open()
    return () => {
      stopped = true
      clearTimeout(retry)
      source?.close()
    }
    // One subscription for the life of the page; the cursor only seeds it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  return status
}
