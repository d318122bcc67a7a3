'use client'

import { useEffect, useRef } from 'react'

/**
 * Single-key shortcuts (e.g. "a" accept, "n" review next). Ignored while typing in a form field,
 * with a modifier held, or inside an open dialog-like panel, so they never steal text input.
 */
export function useShortcuts(map: Record<string, (() => void) | undefined>) {
  const ref = useRef(map)
  useEffect(() => {
    ref.current = map
  })
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.repeat) return
      const t = e.target as HTMLElement | null
      // Escape still works from inside a field: it closes the panel the field is in (issue 11, finding 17).
      if (e.key !== 'Escape' && t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return
      const fn = ref.current[e.key.toLowerCase()]
      if (fn) {
        e.preventDefault()
        fn()
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])
}
