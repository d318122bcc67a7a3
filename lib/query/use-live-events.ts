'use client'

import { useQueryClient, type QueryKey } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { referralKeys } from './referral-queries'

export type TLiveStatus = 'connecting' | 'live' | 'reconnecting'

/** Newer-than for decimal ids of any length (LiveEvent.id is a bigint). */
function newer(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b
}

/**
 * Subscribe to /api/events from `cursor` (the list's own cursor, so nothing between loading the
 * list and subscribing is missed). The browser resumes with Last-Event-ID after a dropped
 * connection; if it gives up, we reopen from the last id we saw. Every event invalidates the
 * queries under `keys` (the referral queries unless told otherwise), which TanStack Query refetches.
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
        if (m.lastEventId && last.current && !newer(m.lastEventId, last.current)) return // already seen
        if (m.lastEventId) last.current = m.lastEventId
        const w = window as unknown as { __barsLiveEvents?: { id: string; at: number }[] }
        ;(w.__barsLiveEvents ??= []).push({ id: m.lastEventId, at: Date.now() })
        for (const queryKey of keys) void client.invalidateQueries({ queryKey })
      }
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
