'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { useEffect, useId, useRef, useState } from 'react'
import { ACTION_LABELS, allowedActions, REJECTED_REASONS, STATE_LABELS, type TReferralAction, type TRejectedReason } from '@/lib/bars/referral-state'
import { ApiError, apiFetch } from '@/lib/query/api-client'
import { REJECT_TEXT_MAX } from '@/lib/referrals/action-schemas'
import { activityQuery, referralKeys, windowsQuery } from '@/lib/query/referral-queries'
import { useLiveEvents } from '@/lib/query/use-live-events'
import type { TReferralActivity } from '@/lib/referrals/get-referral-activity'
import { formatDateTime, formatTime } from '@/lib/time/format'
import { useErrorTitle } from '@/components/layout/use-error-title'
import { useShortcuts } from './use-shortcuts'

const KEYS: Record<TReferralAction, string> = { accept: 'A', reject: 'R', rebook: 'B', dna: 'D' }
const PATHS: Record<TReferralAction, string> = { accept: 'accept', reject: 'reject', rebook: 'rebook', dna: 'did-not-attend' }
const DONE: Record<TReferralAction, string> = {
  accept: 'Referral accepted.',
  reject: 'Referral rejected.',
  rebook: 'Patient booked into the new window.',
  dna: 'Marked as did not attend.',
}

type TPanel = 'accept' | 'reject' | 'rebook' | 'dna' | null

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(t)
  }, [everyMs])
  return now
}

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
  useErrorTitle(error !== null)
  const windows = useQuery({ ...windowsQuery(referralId), enabled: panel === 'rebook' })

  const act = useMutation({
    mutationFn: (v: { action: TReferralAction; body: Record<string, unknown>; thenNext?: boolean }) =>
      apiFetch<{ state: TReferralActivity['state']; version: number }>(`/api/referrals/${referralId}/${PATHS[v.action]}`, { method: 'POST', body: { version: data.version, ...v.body } }),
    onSuccess: (res, v) => {
      // Show the new state at once (tag, buttons) instead of waiting for the refetch (issue 11, finding 16).
      qc.setQueryData(activityQuery(referralId).queryKey, (old: TReferralActivity | undefined) =>
        old ? { ...old, state: res.state, version: res.version, allowed: allowedActions(res.state, old.fhirStatus) } : old,
      )
      setError(null)
      setPanel(null)
      setReason('')
      setReasonText('')
      setMessage(`${DONE[v.action]} The response to the sender is queued and will be delivered even if their system is down; if it is not, this page will say so.`)
      void qc.invalidateQueries({ queryKey: referralKeys.all })
      if (v.thenNext) void reviewNext()
      else requestAnimationFrame(() => statusRef.current?.focus())
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

  // Did not attend only once the booked window has started (the server refuses it before, too).
  const now = useNow(30_000)
  const dnaNotYet = data.booking && Date.parse(data.booking.start) > now ? data.booking.start : null
  const can = (a: TReferralAction) => allowed.includes(a) && !act.isPending && !(a === 'dna' && dnaNotYet)
  const start = (a: TReferralAction) => {
    if (!can(a)) return
    setMessage(null)
    setError(null)
    // Accept asks for a confirmation (Enter) rather than offering an undo: see docs/hazard-log.md (H-TRIAGE-3).
    setPanel(a)
  }
  async function reviewNext() {
    const next = await apiFetch<{ id: string | null }>(`/api/referrals/next?after=${referralId}`).catch(() => ({ id: null }))
    if (next.id) router.push(`/referrals/${next.id}`)
    else {
      setMessage((m) => `${m ? `${m} ` : ''}There are no more new referrals waiting.`)
      requestAnimationFrame(() => statusRef.current?.focus())
    }
  }
  const stuck = data.responses.filter((r) => r.stuck)

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
        {stuck.length ? (
          <div className="nhsuk-warning-callout nhsuk-u-margin-top-0" data-testid="stuck-response">
            <h3 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>
                {stuck.length === 1 ? 'A response has not reached the sender' : `${stuck.length} responses have not reached the sender`}
              </span>
            </h3>
            <ul className="nhsuk-list">
              {stuck.map((r, i) => (
                <li key={i}>
                  <strong>{r.label}</strong>, sent {formatDateTime(r.createdAt)}:{' '}
                  {r.status === 'DEAD'
                    ? 'delivery has stopped. An administrator must resend it from Admin, Responses to senders.'
                    : `not delivered after ${r.attempts} attempts. It is retried automatically${r.nextAttemptAt ? ` (next try ${formatTime(r.nextAttemptAt)})` : ''} and administrators can see it in Admin, Responses to senders.`}
                </li>
              ))}
            </ul>
            <p>Until it is delivered the sender does not know your decision. If the patient&apos;s care depends on it, phone the sender.</p>
          </div>
        ) : null}
        <p className="nhsuk-body">
          Status:{' '}
          <strong className={`nhsuk-tag ${STATE_TAG[data.state] ?? ''}`} data-testid="referral-state">
            {STATE_LABELS[data.state]}
          </strong>
          {data.decision?.code ? ` · ${REJECTED_REASONS[data.decision.code as TRejectedReason] ?? data.decision.code}` : ''}
          {data.decision?.text ? `: ${data.decision.text}` : ''}
          {data.booking ? ` · Arrival window ${formatDateTime(data.booking.start)} to ${formatTime(data.booking.end)}` : ''}
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
                className={`nhsuk-button nhsuk-u-margin-bottom-0 ${a === 'accept' ? '' : a === 'reject' ? 'nhsuk-button--warning' : 'nhsuk-button--secondary'}`}
                aria-keyshortcuts={KEYS[a]}
                disabled={!can(a)}
                aria-describedby={a === 'dna' && dnaNotYet ? 'dna-not-yet' : undefined}
                aria-expanded={panel === a}
                onClick={() => start(a)}
              >
                {ACTION_LABELS[a]} <span className="nhsuk-body-s shortcut-hint">({KEYS[a]})</span>
              </button>
            ))}
            <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" aria-keyshortcuts="N" onClick={() => void reviewNext()}>
              Review next <span className="nhsuk-body-s shortcut-hint">(N)</span>
            </button>
          </div>
        ) : (
          <p className="nhsuk-body">Only clinicians can act on referrals.</p>
        )}
        {canAct && dnaNotYet && allowed.includes('dna') ? (
          <p className="nhsuk-body-s nhsuk-u-margin-top-3" id="dna-not-yet" data-testid="dna-not-yet">
            Did not attend is available from {formatTime(dnaNotYet)} on {formatDateTime(dnaNotYet).split(', ')[0]}, when the arrival window starts.
          </p>
        ) : null}
        {canAct && allowed.length === 0 ? <p className="nhsuk-body-s nhsuk-u-margin-top-3">No further decisions can be made on a {STATE_LABELS[data.state].toLowerCase()} referral.</p> : null}

        {panel === 'accept' ? (
          <div className="nhsuk-u-margin-top-5" data-testid="accept-confirm">
            <p className="nhsuk-body">The referring service will be told you accept this referral. This cannot be undone once it is sent.</p>
            <div className="flex flex-wrap gap-3">
              <button
                type="button"
                className="nhsuk-button nhsuk-u-margin-bottom-0"
                disabled={act.isPending}
                ref={(el) => {
                  panelFocus.current = el
                }}
                onClick={() => act.mutate({ action: 'accept', body: {} })}
              >
                Confirm accept
              </button>
              <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" disabled={act.isPending} onClick={() => act.mutate({ action: 'accept', body: {}, thenNext: true })}>
                Accept and review next
              </button>
              <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" onClick={() => setPanel(null)}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}

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
                This text is sent to the referring service. Up to {REJECT_TEXT_MAX} characters ({REJECT_TEXT_MAX - reasonText.length} left).
              </div>
              <textarea className="nhsuk-textarea" id={ids.text} rows={3} maxLength={REJECT_TEXT_MAX} aria-describedby={`${ids.text}-hint`} value={reasonText} onChange={(e) => setReasonText(e.target.value)} />
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
              {windows.data?.windows.length && windows.data.windows.every((w) => w.afterDeadline) ? (
                <p className="nhsuk-body" data-testid="no-window-before-deadline">
                  <strong>No free window starts before the deadline.</strong> Every window below is after it.
                </p>
              ) : null}
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
                {(() => {
                  const all = windows.data?.windows ?? []
                  const label = (w: (typeof all)[number]) => `${formatDateTime(w.start, { weekday: true })} to ${formatTime(w.end)} (${w.free} ${w.free === 1 ? 'place' : 'places'} free)`
                  const before = all.filter((w) => !w.afterDeadline)
                  const after = all.filter((w) => w.afterDeadline)
                  return (
                    <>
                      {before.length ? (
                        <optgroup label="Before the deadline">
                          {before.map((w) => (
                            <option key={w.id} value={w.id}>
                              {label(w)}
                            </option>
                          ))}
                        </optgroup>
                      ) : null}
                      {after.length ? (
                        <optgroup label="After the deadline">
                          {after.map((w) => (
                            <option key={w.id} value={w.id}>
                              {label(w)}, after the deadline
                            </option>
                          ))}
                        </optgroup>
                      ) : null}
                    </>
                  )
                })()}
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
                className="nhsuk-button"
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
                <strong>{r.label}</strong>, {formatDateTime(r.createdAt)}: {STATUS_TEXT[r.status] ?? r.status}
                {r.deliveredAt ? ` at ${formatTime(r.deliveredAt)}` : r.attempts ? ` (${r.attempts} ${r.attempts === 1 ? 'attempt' : 'attempts'} so far)` : ''}
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
        {data.trail.length ? (
          <ol className="nhsuk-list" reversed data-testid="trail">
            {data.trail.map((t, i) => (
              <li key={i} className="nhsuk-u-margin-bottom-2">
                <span className="nhsuk-body-s block nhsuk-u-margin-bottom-0">{formatDateTime(t.at)}</span>
                {t.text}
              </li>
            ))}
          </ol>
        ) : (
          <p className="nhsuk-body">Nobody has viewed or acted on it yet.</p>
        )}
      </section>
    </>
  )
}
