'use client'

import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { useEffect, useState } from 'react'
import { ARP_DISPLAY, SCENE_SAFETY_DISPLAY } from '@/lib/bars/cas-referral'
import { USE_CASE_DISPLAYS } from '@/lib/bars/message-definitions'
import { validationKeys, validationQueueQuery } from '@/lib/query/validation-queries'
import { useLiveEvents } from '@/lib/query/use-live-events'
import type { TValidationQueue } from '@/lib/validations/list-validations'
import { formatLondon } from '@/lib/time/london'

/** "12 min to breach" / "Breached 3 min ago". */
export function timeToBreach(breachAt: string, nowMs: number): { text: string; tone: 'red' | 'orange' | 'grey' } {
  const mins = Math.round((Date.parse(breachAt) - nowMs) / 60_000)
  if (mins < 0) return { text: `Breached ${-mins} min ago`, tone: 'red' }
  if (mins <= 10) return { text: `${mins} min to breach`, tone: 'red' }
  if (mins <= 30) return { text: `${mins} min to breach`, tone: 'orange' }
  const h = Math.floor(mins / 60)
  return { text: h ? `${h} h ${mins % 60} min to breach` : `${mins} min to breach`, tone: 'grey' }
}

const TONE: Record<string, string> = { red: 'nhsuk-tag--red', orange: 'nhsuk-tag--orange', grey: 'nhsuk-tag--grey' }
const DELIVERY: Record<string, string> = { PENDING: 'Sending', DELIVERED: 'Delivered', DEAD: 'Not delivered' }
const KIND: Record<string, string> = { 'validation-interim-accept': 'Interim: accepted', 'validation-interim-reject': 'Interim: rejected', 'validation-full': 'Full response' }

export function sceneSafetyText(code: string | null): string {
  return code ? SCENE_SAFETY_DISPLAY[code] ?? code : 'Unknown (not sent)'
}

/**
 * The CAS validation queue (App 4): open cases ordered by breach time, live (every LiveEvent
 * refetches), with ARP category (original → as updated), clock start, time to breach, scene
 * safety and safeguarding; undelivered responses are alerts at the top.
 */
export function ValidationQueue({ initial, nowMs }: { initial: TValidationQueue; nowMs: number }) {
  const live = useLiveEvents(initial.cursor, [validationKeys.all])
  const { data = initial } = useQuery({ ...validationQueueQuery(), initialData: initial })
  const [now, setNow] = useState(nowMs)
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000)
    return () => clearInterval(t)
  }, [])

  return (
    <>
      <p className="nhsuk-body-s" data-testid="live-status">
        {live === 'live' ? 'Updates automatically.' : 'Connecting for live updates…'} {data.services.map((s) => s.name).join(', ')}
      </p>
      {data.alerts.length ? (
        <div className="nhsuk-error-summary" role="alert" aria-labelledby="undelivered-title" data-testid="delivery-alerts">
          <h2 className="nhsuk-error-summary__title" id="undelivered-title">
            {data.alerts.length === 1 ? 'A validation response has not reached the 999 service' : `${data.alerts.length} validation responses have not reached the 999 service`}
          </h2>
          <div className="nhsuk-error-summary__body">
            <p>If it is not delivered before the breach time, the ambulance service will dispatch under its fail-safe. Phone the 999 service.</p>
            <ul className="nhsuk-list nhsuk-error-summary__list">
              {data.alerts.map((a) => (
                <li key={a.id}>
                  <Link href={`/validations/${a.id}`}>
                    {a.caseReference}, {a.patient}: {KIND[a.kind] ?? a.kind} {DELIVERY[a.status]?.toLowerCase() ?? a.status}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      {data.items.length === 0 ? (
        <p className="nhsuk-body" data-testid="queue-empty">
          There are no validation requests waiting.
        </p>
      ) : (
        <table className="nhsuk-table" data-testid="validation-queue">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Validation requests, soonest breach first</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Time to breach</th>
              <th scope="col">Patient</th>
              <th scope="col">ARP category</th>
              <th scope="col">Clock start</th>
              <th scope="col">Scene safety</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {data.items.map((v) => {
              const breach = timeToBreach(v.breachAt, now)
              return (
                <tr key={v.id} className="nhsuk-table__row" data-testid="queue-row" data-case={v.caseReference}>
                  <td className="nhsuk-table__cell">
                    <strong className={`nhsuk-tag ${TONE[breach.tone]}`}>{breach.text}</strong>
                    <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">Breach {formatLondon(v.breachAt, { timeStyle: 'short' })}</div>
                  </td>
                  <td className="nhsuk-table__cell">
                    <Link href={`/validations/${v.id}`}>{v.patient}</Link>
                    <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                      {v.caseReference} · {USE_CASE_DISPLAYS[v.useCase] ?? v.useCase}
                    </div>
                    {v.safeguarding ? <strong className="nhsuk-tag nhsuk-tag--red">Safeguarding concern</strong> : null}
                  </td>
                  <td className="nhsuk-table__cell" data-testid="arp">
                    {v.arpCode ?? 'Not provided'}
                    {v.arpCode ? <span className="nhsuk-u-visually-hidden"> ({ARP_DISPLAY[v.arpCode] ?? v.arpCode})</span> : null}
                    {v.originalArpCode && v.originalArpCode !== v.arpCode ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">Was {v.originalArpCode}</div> : null}
                  </td>
                  <td className="nhsuk-table__cell">{v.clockStart ? formatLondon(v.clockStart, { timeStyle: 'short' }) : 'Not provided'}</td>
                  <td className="nhsuk-table__cell">
                    {v.sceneSafety === 'U' ? <strong className="nhsuk-tag nhsuk-tag--red">{sceneSafetyText(v.sceneSafety)}</strong> : sceneSafetyText(v.sceneSafety)}
                  </td>
                  <td className="nhsuk-table__cell" data-testid="queue-status">
                    {v.state === 'IN_PROGRESS' ? `In progress${v.claimedByName ? ` (${v.claimedByName})` : ''}` : 'Waiting'}
                    {v.updatedAt ? <div><strong className="nhsuk-tag nhsuk-tag--yellow">Updated by 999</strong></div> : null}
                    {v.delivery ? (
                      <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                        {KIND[v.delivery.kind] ?? v.delivery.kind}: {DELIVERY[v.delivery.status] ?? v.delivery.status}
                      </div>
                    ) : null}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </>
  )
}
