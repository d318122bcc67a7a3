'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import Link from 'next/link'
import { useId, useRef, useState } from 'react'
import {
  CONTACT_METHOD_LABELS,
  CONTACT_METHODS,
  CONTACT_RESULT_LABELS,
  CONTACT_RESULTS,
  OUTCOME_LABELS,
  PHARMACY_OUTCOMES,
  type TPharmacyOutcome,
} from '@/lib/bars/pharmacy-referral'
import type { TPharmacyView } from '@/lib/pharmacy/view-pharmacy-referral'
import { ApiError, apiFetch } from '@/lib/query/api-client'
import { pharmacyKeys, pharmacyReferralQuery } from '@/lib/query/pharmacy-queries'
import { useLiveEvents } from '@/lib/query/use-live-events'
import { formatLondon } from '@/lib/time/london'
import { PharmacyDetail, PharmacyOutcomeSummary } from './pharmacy-detail'

const GUIDE_SOURCE: Record<string, string> = {
  task: 'from the Task the GP practice sent',
  'service-request': 'from the referral’s time window',
  default: '24 hours after we received it (the referral gave no time)',
}

/**
 * One pharmacy referral: what the GP practice sent (individual requirements first), and the
 * pharmacist's actions — contact attempts, the consultation outcome, close — each guarded by the
 * version shown, with the result announced (focus moves to the message).
 */
export function PharmacyReferralScreen({ initial, canAct, cursor }: { initial: TPharmacyView; canAct: boolean; cursor: string }) {
  const qc = useQueryClient()
  useLiveEvents(cursor, [pharmacyKeys.all])
  const { data: r = initial } = useQuery({ ...pharmacyReferralQuery(initial.id), initialData: initial })
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [method, setMethod] = useState<(typeof CONTACT_METHODS)[number]>('PHONE')
  const [result, setResult] = useState<(typeof CONTACT_RESULTS)[number]>('SPOKE_TO_PATIENT')
  const [contactNote, setContactNote] = useState('')
  const [outcome, setOutcome] = useState<TPharmacyOutcome | ''>(initial.outcome ?? '')
  const [outcomeNote, setOutcomeNote] = useState(initial.outcomeNote ?? '')
  const [outcomeError, setOutcomeError] = useState<string | null>(null)
  const statusRef = useRef<HTMLDivElement>(null)
  const errorRef = useRef<HTMLDivElement>(null)
  const ids = { method: useId(), result: useId(), contactNote: useId(), outcome: useId(), outcomeNote: useId() }
  const open = !r.cancelled && r.status !== 'CLOSED'

  const act = useMutation({
    mutationFn: (v: { path: string; body: Record<string, unknown>; done: string }) => apiFetch<{ version: number; status: string }>(`/api/pharmacy/referrals/${r.id}/${v.path}`, { method: 'POST', body: v.body }),
    onSuccess: (_res, v) => {
      setError(null)
      setMessage(v.done)
      if (v.path === 'contact-attempts') setContactNote('')
      void qc.invalidateQueries({ queryKey: pharmacyKeys.all })
      requestAnimationFrame(() => statusRef.current?.focus())
    },
    onError: (e) => {
      setMessage(null)
      setError(e instanceof ApiError ? e.message : 'Your action was not saved. Check your connection and try again.')
      void qc.invalidateQueries({ queryKey: pharmacyKeys.all })
      requestAnimationFrame(() => errorRef.current?.focus())
    },
  })

  return (
    <>
      <div className="nhsuk-back-link">
        <Link className="nhsuk-back-link__link" href="/pharmacy">
          Back to pharmacy referrals
        </Link>
      </div>
      <h1 className="break-words">
        <span className="nhsuk-caption-l">Pharmacy First referral {r.caseReference}</span>
        {r.patientName}
      </h1>

      {r.cancelled ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Cancelled by the GP practice
            </span>
          </h2>
          <p>{r.cancelReason ?? 'No reason given.'} The GP practice tells the patient; nothing more is needed here.</p>
        </div>
      ) : null}

      {message ? (
        <div className="nhsuk-inset-text" role="status" tabIndex={-1} ref={statusRef} data-testid="pharmacy-message">
          <p>{message}</p>
        </div>
      ) : null}
      {error ? (
        <div className="nhsuk-error-summary" role="alert" tabIndex={-1} ref={errorRef} aria-labelledby="pharmacy-error-title">
          <h2 className="nhsuk-error-summary__title" id="pharmacy-error-title">
            Your action was not saved
          </h2>
          <div className="nhsuk-error-summary__body">
            <p>{error}</p>
          </div>
        </div>
      ) : null}

      <p className="nhsuk-body">
        Patient expected to make contact by <strong>{formatLondon(r.guideTime)}</strong> ({GUIDE_SOURCE[r.guideTimeSource] ?? r.guideTimeSource}). This is a guide, not an
        appointment: the patient contacts the pharmacy. Contact them yourself only if the referral worries you.
      </p>

      <PharmacyDetail view={r} />

      <h2>Contact attempts</h2>
      {r.contactAttempts.length === 0 ? (
        <p className="nhsuk-body">None recorded.</p>
      ) : (
        <ul className="nhsuk-list" data-testid="contact-attempts">
          {r.contactAttempts.map((a) => (
            <li key={a.id}>
              {formatLondon(a.at)}: {CONTACT_METHOD_LABELS[a.method as keyof typeof CONTACT_METHOD_LABELS] ?? a.method}, {CONTACT_RESULT_LABELS[a.result as keyof typeof CONTACT_RESULT_LABELS] ?? a.result} ({a.by})
              {a.note ? ` — ${a.note}` : ''}
            </li>
          ))}
        </ul>
      )}
      {canAct && open ? (
        <form
          className="nhsuk-u-margin-bottom-6"
          onSubmit={(e) => {
            e.preventDefault()
            act.mutate({ path: 'contact-attempts', body: { method, result, ...(contactNote.trim() ? { note: contactNote.trim() } : {}) }, done: 'Contact attempt recorded.' })
          }}
        >
          <fieldset className="nhsuk-fieldset">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Record a contact attempt</legend>
            <div className="flex flex-wrap gap-4">
              <div className="nhsuk-form-group max-w-full">
                <label className="nhsuk-label" htmlFor={ids.method}>
                  How
                </label>
                <select className="nhsuk-select max-w-full" id={ids.method} value={method} onChange={(e) => setMethod(e.target.value as (typeof CONTACT_METHODS)[number])}>
                  {CONTACT_METHODS.map((m) => (
                    <option key={m} value={m}>
                      {CONTACT_METHOD_LABELS[m]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="nhsuk-form-group max-w-full">
                <label className="nhsuk-label" htmlFor={ids.result}>
                  Result
                </label>
                <select className="nhsuk-select max-w-full" id={ids.result} value={result} onChange={(e) => setResult(e.target.value as (typeof CONTACT_RESULTS)[number])}>
                  {CONTACT_RESULTS.map((m) => (
                    <option key={m} value={m}>
                      {CONTACT_RESULT_LABELS[m]}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <div className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor={ids.contactNote}>
                Note (optional)
              </label>
              <input className="nhsuk-input" id={ids.contactNote} value={contactNote} maxLength={1000} onChange={(e) => setContactNote(e.target.value)} />
            </div>
            <button type="submit" className="nhsuk-button nhsuk-button--secondary" disabled={act.isPending}>
              Record contact attempt
            </button>
          </fieldset>
        </form>
      ) : null}

      <h2>Consultation outcome</h2>
      <PharmacyOutcomeSummary view={r} />
      {canAct && open ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            if (!outcome) {
              setOutcomeError('Select the consultation outcome')
              return
            }
            setOutcomeError(null)
            act.mutate({ path: 'outcome', body: { version: r.version, outcome, ...(outcomeNote.trim() ? { note: outcomeNote.trim() } : {}) }, done: 'Outcome recorded. Close the referral when you have finished.' })
          }}
        >
          <div className={`nhsuk-form-group${outcomeError ? ' nhsuk-form-group--error' : ''}`}>
            <fieldset className="nhsuk-fieldset" aria-describedby={outcomeError ? `${ids.outcome}-error` : undefined}>
              <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{r.outcome ? 'Change the outcome' : 'Record the outcome'}</legend>
              {outcomeError ? (
                <span className="nhsuk-error-message" id={`${ids.outcome}-error`}>
                  <span className="nhsuk-u-visually-hidden">Error:</span> {outcomeError}
                </span>
              ) : null}
              <div className="nhsuk-radios">
                {PHARMACY_OUTCOMES.map((o) => (
                  <div className="nhsuk-radios__item" key={o}>
                    <input className="nhsuk-radios__input" id={`${ids.outcome}-${o}`} name="outcome" type="radio" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
                    <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${ids.outcome}-${o}`}>
                      {OUTCOME_LABELS[o]}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor={ids.outcomeNote}>
              Consultation notes (optional)
            </label>
            <textarea className="nhsuk-textarea" id={ids.outcomeNote} rows={3} maxLength={2000} value={outcomeNote} onChange={(e) => setOutcomeNote(e.target.value)} />
          </div>
          <div className="flex flex-wrap gap-4">
            <button type="submit" className="nhsuk-button" disabled={act.isPending}>
              Save outcome
            </button>
            {r.status === 'OUTCOME_RECORDED' ? (
              <button
                type="button"
                className="nhsuk-button nhsuk-button--secondary"
                disabled={act.isPending}
                onClick={() => act.mutate({ path: 'close', body: { version: r.version }, done: 'Referral closed. It has left the worklist.' })}
              >
                Close referral
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
      <p className="nhsuk-body">
        <Link className="nhsuk-link" href={`/pharmacy/referrals/${r.id}/summary`}>
          Printable summary of the outcome
        </Link>
      </p>
    </>
  )
}
