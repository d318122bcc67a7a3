'use client'

import { usePathname } from 'next/navigation'
import { useEffect, useRef } from 'react'

/**
 * After a client-side navigation (sign-in, "review next", links) focus would stay where the old page
 * had it — on the body, past the skip link. Put it on the skip link, the first thing on every page,
 * as a full page load would, so the next Tab or Enter starts from the top (issue 11, finding 17).
 */
export function FocusOnNavigate() {
  const pathname = usePathname()
  const first = useRef(true)
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    document.querySelector<HTMLElement>('.nhsuk-skip-link')?.focus()
  }, [pathname])
  return null
}
