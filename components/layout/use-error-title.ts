'use client'

import { useEffect } from 'react'

/**
 * While a form or action shows an error, the page title starts with "Error: " (NHS.UK error
 * summary guidance), so a screen reader user hears it as the title changes.
 */
export function useErrorTitle(active: boolean) {
  useEffect(() => {
    if (!active) return
    if (!document.title.startsWith('Error: ')) document.title = `Error: ${document.title}`
    return () => {
      document.title = document.title.replace(/^Error: /, '')
    }
  }, [active])
}
