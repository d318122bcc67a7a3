'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { useEffect, useId, useRef, useState } from 'react'
import { ACTION_LABELS, REJECTED_REASONS, STATE_LABELS, type TReferralAction, type TRejectedReason } from '@/lib/bars/referral-state'
import { ApiError, apiFetch } from '@/lib/query/api-client'
import { activityQuery, referralKeys, windowsQuery } from '@/lib/query/referral-queries'
import { useLiveEvents } from '@/lib/query/use-live-events'
import type { TReferralActivity } from '@/lib/referrals/get-referral-activity'
import { formatLondon } from '@/lib/time/london'
import { useShortcuts } from './use-shortcuts'

const KEYS: Record<TReferralAction, string> = { accept: 'A', reject: 'R', rebook: 'B', dna: 'D' }
const PATHS: Record<TReferralAction, string> = { accept: 'accept', reject: 'reject', rebook: 'rebook', dna: 'did-not-attend' }
const DONE: Record<TReferralAction, string> = {
  accept: 'Referral accepted.',
  reject: 'Referral rejected.',
  rebook: 'Patient booked into the new window.',
  dna: 'Marked as did not attend.',
}

type TPanel = 'reject' | 'rebook' | 'dna' | null

const STATE_TAG: Record<string, string> = {
  NEW: 'nhsuk-tag--blue', ACCEPTED: 'nhsuk-tag--green', REJECTED: 'nhsuk-tag--red', BOOKED: 'nhsuk-tag--purple', ARRIVED: 'nhsuk-tag--green',
  DID_NOT_ATTEND: 'nhsuk-tag--orange', CANCELLED: 'nhsuk-tag--grey',
}

/**
 * The clinician's decision panel: one key per action (A accept, R reject, B book another window,
 * D did not attend, N review next), optimistic concurrency on the referral's version, and focus
 * moved to the outcome so a screen reader announces it.
 */
export function ReferralActions({ referralId, initial, canAct, safeguarding, cursor }: { referralId: string; initial: TReferralActivity; canAct: boolean; safeguarding: boolean; cursor: string }) {
  const router = useRouter()
  const qc = useQueryClient()
  useLiveEvents(cursor)
  const { data = initial } = useQuery({ ...activityQuery(referralId), initialData: initial })
  const [panel, setPanel] = useState<TPanel>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<{ title: string; text: string } | null>(null)
  const [reason, setReason] = useState<TRejectedReason | ''>('')
  const [reasonText, setReasonText] = useState('')
  const [slotId, setSlotId] = useState('')
  const statusRef = useRef<HTMLDivElement>(null)
  const errorRef = useRef<HTMLDivElement>(null)
  const panelFocus = useRef<HTMLElement | null>(null)
  const ids = { reason: useId(), text: useId(), slot: useId() }
  const allowed = canAct ? data.allowed : []
  const windows = useQuery({ ...windowsQuery(referralId), enabled: panel === 'rebook' })

  const act = useMutation({
    mutationFn: (v: { action: TReferralAction; body: Record<string, unknown> }) =>
      apiFetch<{ state: string; version: number }>(`/api/referrals/${referralId}/${PATHS[v.action]}`, { method: 'POST', body: { version: data.version, ...v.body } }),
    onSuccess: (_res, v) => {
      setError(null)
      setPanel(null)
      setReason('')
      setReasonText('')
      setMessage(`${DONE[v.action]} The response to the sender is queued and will be delivered even if their system is down. Press N to review the next referral.`)
      void qc.invalidateQueries({ queryKey: referralKeys.all })
      requestAnimationFrame(() => statusRef.current?.focus())
    },
    onError: (e) => {
      const stale = e instanceof ApiError && (e.kind === 'stale-version' || e.kind === 'conflict')
      setMessage(null)
      setError({
        title: stale ? 'Someone else acted on this referral first' : 'Your action was not saved',
        text: stale
          ? `${e.message} The referral below now shows what they did. Anything you typed is kept: check it and try again if it still applies.`
          : e instanceof ApiError
            ? e.message
            : 'Check your connection and try again.',
      })
      void qc.invalidateQueries({ queryKey: referralKeys.activity(referralId) })
      requestAnimationFrame(() => errorRef.current?.focus())
    },
  })

  useEffect(() => {
    if (panel) requestAnimationFrame(() => panelFocus.current?.focus())
  }, [panel])

  const can = (a: TReferralAction) => allowed.includes(a) && !act.isPending
  const start = (a: TReferralAction) => {
    if (!can(a)) return
    setMessage(null)
    setError(null)
    if (a === 'accept') act.mutate({ action: 'accept', body: {} })
    else setPanel(a === 'reject' ? 'reject' : a === 'rebook' ? 'rebook' : 'dna')
  }
  const reviewNext = async () => {
    const next = await apiFetch<{ id: string | null }>(`/api/referrals/next?after=${referralId}`).catch(() => ({ id: null }))
    if (next.id) router.push(`/referrals/${next.id}`)
    else {
      setMessage('There are no more new referrals waiting.')
      requestAnimationFrame(() => statusRef.current?.focus())
    }
  }

  useShortcuts({
    a: () => start('accept'),
    r: () => start('reject'),
    b: () => start('rebook'),
    d: () => start('dna'),
    n: () => void reviewNext(),
    escape: () => setPanel(null),
  })

  return (
    <section aria-labelledby="decision-heading" className="nhsuk-card nhsuk-u-margin-bottom-6" data-testid="decision-panel">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-heading-m" id="decision-heading">
          Decision
        </h2>
        <p className="nhsuk-body">
          Status:{' '}
          <strong className={`nhsuk-tag ${STATE_TAG[data.state] ?? ''}`} data-testid="referral-state">
            {STATE_LABELS[data.state]}
          </strong>
          {data.decision?.code ? ` · ${REJECTED_REASONS[data.decision.code as TRejectedReason] ?? data.decision.code}` : ''}
          {data.decision?.text ? `: ${data.decision.text}` : ''}
          {data.booking ? ` · Arrival window ${formatLondon(data.booking.start)} to ${formatLondon(data.booking.end, { timeStyle: 'short' })}` : ''}
        </p>

        <div ref={statusRef} tabIndex={-1} role="status" data-testid="action-status" className={message ? 'nhsuk-inset-text nhsuk-u-margin-top-0' : ''}>
          {message}
        </div>

        {error ? (
          <div ref={errorRef} tabIndex={-1} className="nhsuk-error-summary" aria-labelledby="action-error-title" role="alert" data-testid="action-error">
            <h2 className="nhsuk-error-summary__title" id="action-error-title">
              {error.title}
            </h2>
            <div className="nhsuk-error-summary__body">
              <p>{error.text}</p>
            </div>
          </div>
        ) : null}

        {canAct ? (
          <div className="flex flex-wrap gap-3">
            {(['accept', 'reject', 'rebook', 'dna'] as const).map((a) => (
              <button
                key={a}
                type="button"
                className={`nhsuk-button nhsuk-u-margin-bottom-0 ${a === 'accept' ? '' : a === 'reject' || a === 'dna' ? 'nhsuk-button--warning' : 'nhsuk-button--secondary'}`}
                aria-keyshortcuts={KEYS[a]}
                disabled={!can(a)}
                aria-expanded={a === 'accept' ? undefined : panel === a}
                onClick={() => start(a)}
              >
                {ACTION_LABELS[a]} <span className="nhsuk-body-s">({KEYS[a]})</span>
              </button>
            ))}
            <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" aria-keyshortcuts="N" onClick={() => void reviewNext()}>
              Review next <span className="nhsuk-body-s">(N)</span>
            </button>
          </div>
        ) : (
          <p className="nhsuk-body">Only clinicians can act on referrals.</p>
        )}
        {canAct && allowed.length === 0 ? <p className="nhsuk-body-s nhsuk-u-margin-top-3">No further decisions can be made on a {STATE_LABELS[data.state].toLowerCase()} referral.</p> : null}

        {panel === 'reject' ? (
          <form
            className="nhsuk-u-margin-top-5"
            onSubmit={(e) => {
              e.preventDefault()
              if (!reason) {
                setError({ title: 'There is a problem', text: 'Select why you are rejecting the referral.' })
                requestAnimationFrame(() => errorRef.current?.focus())
                return
              }
              act.mutate({ action: 'reject', body: { reasonCode: reason, reasonText } })
            }}
          >
            <fieldset className="nhsuk-fieldset">
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Why are you rejecting this referral?</legend>
              <div className="nhsuk-radios">
                {(Object.keys(REJECTED_REASONS) as TRejectedReason[]).map((code, i) => (
                  <div className="nhsuk-radios__item" key={code}>
                    <input
                      className="nhsuk-radios__input"
                      id={`${ids.reason}-${code}`}
                      name="reasonCode"
                      type="radio"
                      value={code}
                      checked={reason === code}
                      onChange={() => setReason(code)}
                      ref={i === 0 ? (el) => { panelFocus.current = el } : undefined}
                    />
                    <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${ids.reason}-${code}`}>
                      {REJECTED_REASONS[code]}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
            <div className="nhsuk-form-group nhsuk-u-margin-top-4">
              <label className="nhsuk-label" htmlFor={ids.text}>
                Reason for the sender {reason === 'OTH' ? '' : '(optional)'}
              </label>
              <div className="nhsuk-hint" id={`${ids.text}-hint`}>
                This text is sent to the referring service.
              </div>
              <textarea className="nhsuk-textarea" id={ids.text} rows={3} maxLength={1000} aria-describedby={`${ids.text}-hint`} value={reasonText} onChange={(e) => setReasonText(e.target.value)} />
            </div>
            <div className="flex gap-3">
              <button type="submit" className="nhsuk-button nhsuk-button--warning" disabled={act.isPending}>
                Reject referral
              </button>
              <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => setPanel(null)}>
                Cancel
              </button>
            </div>
          </form>
        ) : null}

        {panel === 'rebook' ? (
          <form
            className="nhsuk-u-margin-top-5"
            onSubmit={(e) => {
              e.preventDefault()
              if (slotId) act.mutate({ action: 'rebook', body: { slotId } })
            }}
          >
            <div className="nhsuk-form-group">
              <label className="nhsuk-label nhsuk-label--s" htmlFor={ids.slot}>
                New arrival window
              </label>
              {windows.isLoading ? <p className="nhsuk-body">Loading windows…</p> : null}
              {windows.data && windows.data.windows.length === 0 ? <p className="nhsuk-body">There are no free windows. Ask reception to add capacity.</p> : null}
              <select
                className="nhsuk-select"
                id={ids.slot}
                value={slotId}
                onChange={(e) => setSlotId(e.target.value)}
                ref={(el) => {
                  panelFocus.current = el
                }}
              >
                <option value="">Choose a window</option>
                {windows.data?.windows.map((w) => (
                  <option key={w.id} value={w.id}>
                    {formatLondon(w.start, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })} to{' '}
                    {formatLondon(w.end, { timeStyle: 'short' })} ({w.free} {w.free === 1 ? 'place' : 'places'} free)
                  </option>
                ))}
              </select>
            </div>
            <div className="flex gap-3">
              <button type="submit" className="nhsuk-button" disabled={!slotId || act.isPending}>
                Book this window
              </button>
              <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => setPanel(null)}>
                Cancel
              </button>
            </div>
          </form>
        ) : null}

        {panel === 'dna' ? (
          <div className="nhsuk-u-margin-top-5">
            <p className="nhsuk-body">
              {safeguarding
                ? 'This patient has a safeguarding concern. The referring service will be sent safeguarding did-not-attend feedback.'
                : 'The referring service will be told the patient did not attend.'}
            </p>
            <div className="flex gap-3">
              <button
                type="button"
                className="nhsuk-button nhsuk-button--warning"
                disabled={act.isPending}
                ref={(el) => {
                  panelFocus.current = el
                }}
                onClick={() => act.mutate({ action: 'dna', body: {} })}
              >
                Confirm did not attend
              </button>
              <button type="button" className="nhsuk-button nhsuk-button--secondary" onClick={() => setPanel(null)}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}
      </div>
    </section>
  )
}

const STATUS_TEXT: Record<string, string> = { PENDING: 'Waiting to be delivered', DELIVERED: 'Delivered', DEAD: 'Not delivered: needs an administrator' }

/** Responses sent to the sender, and who viewed and acted on the referral. */
export function ReferralActivityPanel({ referralId, initial }: { referralId: string; initial: TReferralActivity }) {
  const { data = initial } = useQuery({ ...activityQuery(referralId), initialData: initial })
  return (
    <>
      <section aria-labelledby="responses-heading" className="nhsuk-u-margin-bottom-6">
        <h2 className="nhsuk-heading-m" id="responses-heading">
          Responses to the sender
        </h2>
        {data.responses.length ? (
          <ul className="nhsuk-list" data-testid="responses">
            {data.responses.map((r, i) => (
              <li key={i}>
                <strong>{r.label}</strong>, {formatLondon(r.createdAt)}: {STATUS_TEXT[r.status] ?? r.status}
                {r.deliveredAt ? ` at ${formatLondon(r.deliveredAt, { timeStyle: 'short' })}` : r.attempts ? ` (${r.attempts} ${r.attempts === 1 ? 'attempt' : 'attempts'} so far)` : ''}
              </li>
            ))}
          </ul>
        ) : (
          <p className="nhsuk-body">None sent yet.</p>
        )}
      </section>
      <section aria-labelledby="trail-heading" className="nhsuk-u-margin-bottom-6">
        <h2 className="nhsuk-heading-m" id="trail-heading">
          Who viewed and acted
        </h2>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Views and actions, newest first</caption>
          <thead className="nhsuk-table__head">
            <tr className="nhsuk-table__row">
              <th scope="col" className="nhsuk-table__header">When</th>
              <th scope="col" className="nhsuk-table__header">Who</th>
              <th scope="col" className="nhsuk-table__header">What</th>
              <th scope="col" className="nhsuk-table__header">Result</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {data.trail.map((t, i) => (
              <tr className="nhsuk-table__row" key={i}>
                <td className="nhsuk-table__cell">{formatLondon(t.at, { dateStyle: 'short', timeStyle: 'medium' })}</td>
                <td className="nhsuk-table__cell">{t.who}</td>
                <td className="nhsuk-table__cell">{t.what}</td>
                <td className="nhsuk-table__cell">{t.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  )
}
