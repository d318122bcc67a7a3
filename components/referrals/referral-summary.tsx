import type { TReferralView } from '@/lib/bars/referral-view'
import { deadlineSourceText, dispositionTimeframe } from '@/lib/bars/deadline'
import { formatDate, formatTime } from '@/lib/time/format'
import { LiveCountdown } from './live-countdown'
import { formatPhone, telHref } from './phone'

const NP = 'Not provided'

export interface TSummaryRecord {
  chiefConcern: string | null
  dispositionCode: string | null
  dispositionDisplay: string | null
  deadline: Date | null
  deadlineSource: 'EXPLICIT' | 'DERIVED' | null
  senderName: string | null
  useCase: string
  service: { name: string; amberMinutes: number; redMinutes: number }
  bookings: { status: string; start: Date; end: Date }[]
}

function Item({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="nhsuk-u-margin-bottom-3" data-testid={testId}>
      <dt className="nhsuk-body-s nhsuk-u-margin-bottom-0 font-bold">{label}</dt>
      <dd className="nhsuk-body nhsuk-u-margin-bottom-0 ml-0">{children}</dd>
    </div>
  )
}

/**
 * The top of the referral screen (issue 11, build item 1): what a clinician needs in the first
 * glance, most pertinent first — time left, who to call back, why, the disposition, what is asked
 * for, the booked window, current alerts (expired flags apart, with dates) and the sender.
 */
export function ReferralSummary({ referral: r, view, sender, nowMs }: { referral: TSummaryRecord; view: TReferralView | null; sender: { kind?: string; system?: string }; nowMs: number }) {
  const pc = view?.presentingComplaint ?? {}
  const cb = view?.callback
  const dxCode = pc.dispositionCode ?? r.dispositionCode
  const dxText = pc.disposition ?? r.dispositionDisplay
  const timeframe = dispositionTimeframe(dxCode, dxText)
  const booked = r.bookings.find((b) => b.status === 'booked')
  const current = view?.flags ?? []
  const expired = view?.expiredFlags ?? []
  const staffSafety = view?.staffSafety ?? []
  const from = [sender.kind, r.senderName ?? view?.referral.senderOrganisation].filter(Boolean).join(' · ')
  return (
    <section aria-labelledby="summary-heading" className="nhsuk-card nhsuk-u-margin-bottom-4" data-testid="referral-summary">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-u-visually-hidden" id="summary-heading">
          Summary
        </h2>
        <div className="nhsuk-grid-row">
          <dl className="nhsuk-grid-column-one-third nhsuk-u-margin-bottom-0">
            <Item label="See the patient by">
              <LiveCountdown
                deadline={r.deadline?.toISOString() ?? null}
                note={deadlineSourceText(r.deadlineSource, dxCode, dxText)}
                amberMinutes={r.service.amberMinutes}
                redMinutes={r.service.redMinutes}
                nowMs={nowMs}
              />
            </Item>
            <Item label="Call back" testId="summary-callback">
              {cb?.phones.length ? (
                <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                  {cb.phones.map((p, i) => (
                    <li key={i} className="nhsuk-u-margin-bottom-0">
                      <a className="nhsuk-link font-bold" href={telHref(p.value)} data-testid={i === 0 ? 'callback-phone' : undefined}>
                        {formatPhone(p.value)}
                      </a>
                      {p.use ? ` (${p.use})` : ''}
                    </li>
                  ))}
                </ul>
              ) : (
                NP
              )}
              {cb && (cb.name || cb.relationship) ? <span className="nhsuk-body-s block nhsuk-u-margin-bottom-0">{[cb.name, cb.relationship].filter(Boolean).join(', ')}</span> : null}
            </Item>
          </dl>
          <dl className="nhsuk-grid-column-one-third nhsuk-u-margin-bottom-0">
            <Item label="Chief concern" testId="summary-concern">
              {pc.chiefConcern ?? r.chiefConcern ?? NP}
            </Item>
            <Item label="Disposition" testId="summary-disposition">
              {dxText ? `${dxText}${dxCode ? ` (${dxCode})` : ''}` : NP}
              {timeframe ? <span className="nhsuk-body-s block nhsuk-u-margin-bottom-0">Timeframe: {timeframe.text}</span> : null}
            </Item>
            <Item label="Asks for">
              {view?.referral.requestedService ?? r.service.name}
              {view?.referral.useCase ? ` (${view.referral.useCase})` : ''}
            </Item>
            <Item label="Arrival window">{booked ? `${formatDate(booked.start, { weekday: true })}, ${formatTime(booked.start)} to ${formatTime(booked.end)}` : 'Not booked'}</Item>
            <Item label="From">{from || NP}</Item>
          </dl>
          <div className="nhsuk-grid-column-one-third">
            <h3 className="nhsuk-body-s nhsuk-u-margin-bottom-1 font-bold">Alerts</h3>
            {current.length || staffSafety.length ? (
              <ul className="nhsuk-list nhsuk-u-margin-bottom-3" data-testid="current-alerts">
                {current
                  .filter((f) => f.safeguarding)
                  .map((f, i) => (
                    <li key={`sg-${i}`} data-testid="safeguarding-flag" className="nhsuk-u-margin-bottom-2">
                      <strong className="nhsuk-tag nhsuk-tag--red">Safeguarding</strong> {f.text}
                      {f.end ? <span className="nhsuk-body-s"> (until {formatDate(f.end)})</span> : null}
                    </li>
                  ))}
                {staffSafety.map((n, i) => (
                  <li key={`ss-${i}`} data-testid="staff-safety" className="nhsuk-u-margin-bottom-2">
                    <strong className="nhsuk-tag nhsuk-tag--orange">Staff safety</strong> {n.title ? `${n.title}: ` : ''}
                    {n.detail}
                    {n.reviewBy ? <span className="nhsuk-body-s"> (review by {formatDate(n.reviewBy)})</span> : null}
                  </li>
                ))}
                {current.some((f) => !f.safeguarding) ? (
                  <li data-testid="other-flags" className="nhsuk-u-margin-bottom-2">
                    {current
                      .filter((f) => !f.safeguarding)
                      .map((f, i) => (
                        <span key={`f-${i}`} className="block">
                          <strong>{f.category}:</strong> {f.text}
                        </span>
                      ))}
                  </li>
                ) : null}
              </ul>
            ) : (
              <p className="nhsuk-body nhsuk-u-margin-bottom-3">No current flags</p>
            )}
            {expired.length ? (
              <div data-testid="expired-flags" className="nhsuk-u-margin-bottom-3">
                <h3 className="nhsuk-heading-xs nhsuk-u-margin-bottom-1">Expired flags</h3>
                <ul className="nhsuk-list nhsuk-body-s nhsuk-u-margin-bottom-0">
                  {expired.map((f, i) => (
                    <li key={i} className="nhsuk-u-margin-bottom-1">
                      <strong className="nhsuk-tag nhsuk-tag--grey">Expired</strong> {f.category}: {f.text} (
                      {f.start ? `from ${formatDate(f.start)} ` : ''}ended {formatDate(f.end!)})
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </div>
        </div>
      </div>
    </section>
  )
}

