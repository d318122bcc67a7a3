'use client'

import { useEffect, useState } from 'react'
import { formatDateTime } from '@/lib/time/format'
import { timeLeft, URGENCY_TAG, URGENCY_WORDS } from './countdown'

/** Time left to the deadline, ticking, with the inbox's thresholds and colours. */
export function LiveCountdown({ deadline, note, amberMinutes, redMinutes, nowMs }: { deadline: string | null; note?: string; amberMinutes: number; redMinutes: number; nowMs: number }) {
  const [now, setNow] = useState(nowMs)
  useEffect(() => {
    const first = setTimeout(() => setNow(Date.now()), 0)
    const t = setInterval(() => setNow(Date.now()), 15_000)
    return () => {
      clearTimeout(first)
      clearInterval(t)
    }
  }, [])
  const left = timeLeft(deadline, now, amberMinutes, redMinutes)
  return (
    <div data-testid="summary-countdown">
      <strong className={`${URGENCY_TAG[left.urgency]} nhsuk-u-font-size-19`} data-urgency={left.urgency}>
        {URGENCY_WORDS[left.urgency] ? <span className="nhsuk-u-visually-hidden">{URGENCY_WORDS[left.urgency]}</span> : null}
        {left.text}
      </strong>
      {deadline ? <span className="nhsuk-body-s block nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-0">by {formatDateTime(deadline)}</span> : null}
      {note ? (
        <span className="nhsuk-body-s block nhsuk-u-margin-bottom-0" data-testid="summary-deadline-note">
          Deadline {note}, not given by the sender
        </span>
      ) : null}
    </div>
  )
}
