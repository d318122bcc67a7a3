'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import Link from 'next/link'
import { useEffect, useId, useRef, useState } from 'react'
import { ARP_DISPLAY, isUpgrade } from '@/lib/bars/cas-referral'
import { USE_CASE_DISPLAYS } from '@/lib/bars/message-definitions'
import { ARP_CODES } from '@/lib/bars/validation-responses'
import { formatNhsNumber } from '@/lib/bars/identifiers'
import { ApiError, apiFetch } from '@/lib/query/api-client'
import { useLiveEvents } from '@/lib/query/use-live-events'
import { validationKeys, validationQuery } from '@/lib/query/validation-queries'
import { formatLondon } from '@/lib/time/london'
import type { TValidationView } from '@/lib/validations/view-validation'
import { CasContentDetails } from './cas-content'
import { timeToBreach } from './validation-queue'

const STATE: Record<string, { label: string; tag: string }> = {
  RECEIVED: { label: 'Waiting', tag: 'nhsuk-tag--blue' },
  IN_PROGRESS: { label: 'In progress', tag: 'nhsuk-tag--green' },
  REJECTED: { label: 'Rejected', tag: 'nhsuk-tag--red' },
  COMPLETED: { label: 'Completed', tag: 'nhsuk-tag--grey' },
  CANCELLED: { label: 'Cancelled by the 999 service', tag: 'nhsuk-tag--grey' },
}
const REJECT_REASONS = { RRNA: 'Requested resource not available within the timescale', FC: 'Failed contact', OTH: 'Other' } as const
const KIND: Record<string, string> = { 'validation-interim-accept': 'Interim response: accepted', 'validation-interim-reject': 'Interim response: rejected', 'validation-full': 'Full validation response' }
const DELIVERY: Record<string, string> = { PENDING: 'Sending', DELIVERED: 'Delivered', DEAD: 'Not delivered: phone the 999 service' }

type TPanel = 'reject' | 'complete' | null

/** One validation case: the 999 content, what the last update changed, the clinician's actions and the responses' delivery. */
export function ValidationCase({ initial, nowMs }: { initial: TValidationView; nowMs: number }) {
  const qc = useQueryClient()
  useLiveEvents(initial.cursor, [validationKeys.all])
  const { data: v = initial } = useQuery({ ...validationQuery(initial.id), initialData: initial })
  const [panel, setPanel] = useState<TPanel>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<{ title: string; items: { text: string; field?: string }[] } | null>(null)
  const statusRef = useRef<HTMLDivElement>(null)
  const errorRef = useRef<HTMLDivElement>(null)
  const id = useId()
  const [reject, setReject] = useState<{ code: string; text: string }>({ code: '', text: '' })
  const receivedScene = v.content.sceneSafety.sent && ['S', 'U', 'UNK'].includes(v.content.sceneSafety.code) ? v.content.sceneSafety.code : 'UNK'
  const [form, setForm] = useState({
    outcome: '',
    arpCode: v.arpCode ?? v.originalArpCode ?? '',
    sgCode: v.content.codes.find((c) => c.kind === 'sg')?.code ?? '',
    sdCode: v.content.codes.find((c) => c.kind === 'sd')?.code ?? '',
    dxCode: v.content.codes.find((c) => c.kind === 'dx')?.code ?? '',
    summary: '',
    sceneSafety: receivedScene,
    locationLine: '',
    locationPostcode: '',
    cadReference: '',
    consentConfirmed: false,
  })
  const set = (k: keyof typeof form, value: string | boolean) => setForm((f) => ({ ...f, [k]: value }))
  const upgrade = (form.arpCode === 'C1' || form.arpCode === 'C2') && (isUpgrade(v.originalArpCode ?? undefined, form.arpCode) || !v.originalArpCode)
  const [now, setNow] = useState(nowMs)
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000)
    return () => clearInterval(t)
  }, [])

  const act = useMutation({
    mutationFn: (a: { path: 'start' | 'reject' | 'complete'; body: Record<string, unknown> }) => apiFetch<{ state: string }>(`/api/validations/${v.id}/${a.path}`, { method: 'POST', body: a.body }),
    onSuccess: (_r, a) => {
      setError(null)
      setPanel(null)
      setMessage(
        a.path === 'start'
          ? 'Consultation started. The 999 service is being told you have accepted the case (interim response).'
          : a.path === 'reject'
            ? 'Rejected. The 999 service is being told to take the case back (interim response).'
            : 'Validation complete. The full response is being sent to the 999 service.',
      )
      void qc.invalidateQueries({ queryKey: validationKeys.all })
      requestAnimationFrame(() => statusRef.current?.focus())
    },
    onError: (e) => {
      setMessage(null)
      const items = e instanceof ApiError && e.issues.length ? e.issues.map((i) => ({ text: i.message, field: i.path })) : [{ text: e instanceof ApiError ? e.message : 'Check your connection and try again.' }]
      setError({ title: e instanceof ApiError && e.kind === 'conflict' ? 'Someone else acted on this case first' : 'There is a problem', items })
      void qc.invalidateQueries({ queryKey: validationKeys.all })
      requestAnimationFrame(() => errorRef.current?.focus())
    },
  })
  const can = (a: 'start' | 'reject' | 'complete') => v.allowed.includes(a) && !act.isPending
  const breach = timeToBreach(v.breachAt, now)
  const closed = v.state === 'CANCELLED' || v.state === 'REJECTED' || v.state === 'COMPLETED'

  return (
    <>
      {v.state === 'CANCELLED' ? (
        <div className="nhsuk-error-summary" role="alert" aria-labelledby={`${id}-cancel`} data-testid="cancelled-alert">
          <h2 className="nhsuk-error-summary__title" id={`${id}-cancel`}>
            The 999 service has cancelled this validation request
          </h2>
          <div className="nhsuk-error-summary__body">
            <p>
              {v.fhirStatus === 'entered-in-error' ? 'It was sent in error.' : 'The ambulance service has taken the case back.'} {v.cancelReason ?? ''} Do not contact the patient about it;
              no response will be sent.
            </p>
          </div>
        </div>
      ) : null}
      {v.safeguarding ? (
        <div className="nhsuk-warning-callout" data-testid="safeguarding">
          <h2 className="nhsuk-warning-callout__label">
            <span>
              <span className="nhsuk-u-visually-hidden">Important: </span>Safeguarding concern
            </span>
          </h2>
          <p>The 999 service has raised a safeguarding concern. See the flags below.</p>
        </div>
      ) : null}
      {v.lastChangeAt && v.lastChange.length ? (
        <div className="nhsuk-inset-text" data-testid="update-banner">
          <h2 className="nhsuk-heading-s">Updated by the 999 service at {formatLondon(v.lastChangeAt, { timeStyle: 'short' })}</h2>
          <ul className="nhsuk-list">
            {v.lastChange.map((c) => (
              <li key={c.field}>
                <strong>{c.field}:</strong> {c.field === 'Breach time' || c.field === 'Clock start' ? fmtTime(c.from) : c.from} → {c.field === 'Breach time' || c.field === 'Clock start' ? fmtTime(c.to) : c.to}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      <h1 className="nhsuk-heading-l">
        {v.patient.name} <span className="nhsuk-caption-m">{v.caseReference}</span>
      </h1>
      <p className="nhsuk-body">
        <strong className={`nhsuk-tag ${STATE[v.state]?.tag ?? ''}`} data-testid="validation-state">
          {STATE[v.state]?.label ?? v.state}
        </strong>{' '}
        {v.claimedByName && v.state !== 'RECEIVED' ? `by ${v.claimedByName}` : ''}
        {!closed ? (
          <>
            {' '}
            · <strong className={`nhsuk-tag ${breach.tone === 'red' ? 'nhsuk-tag--red' : breach.tone === 'orange' ? 'nhsuk-tag--orange' : 'nhsuk-tag--grey'}`}>{breach.text}</strong>
          </>
        ) : null}
      </p>

      <section aria-labelledby={`${id}-actions`} className="nhsuk-card nhsuk-u-margin-bottom-5" data-testid="validation-actions">
        <div className="nhsuk-card__content">
          <h2 className="nhsuk-heading-m" id={`${id}-actions`}>
            Validation
          </h2>
          <div ref={statusRef} tabIndex={-1} role="status" data-testid="action-status" className={message ? 'nhsuk-inset-text nhsuk-u-margin-top-0' : ''}>
            {message}
          </div>
          {error ? (
            <div ref={errorRef} tabIndex={-1} className="nhsuk-error-summary" aria-labelledby={`${id}-error`} role="alert" data-testid="action-error">
              <h2 className="nhsuk-error-summary__title" id={`${id}-error`}>
                {error.title}
              </h2>
              <div className="nhsuk-error-summary__body">
                <ul className="nhsuk-list nhsuk-error-summary__list">
                  {error.items.map((i) => (
                    <li key={i.text}>{i.field ? <a href={`#${id}-${i.field}`}>{i.text}</a> : i.text}</li>
                  ))}
                </ul>
              </div>
            </div>
          ) : null}
          {v.allowed.length ? (
            <div className="flex flex-wrap gap-3">
              {v.allowed.includes('start') ? (
                <button type="button" className="nhsuk-button nhsuk-u-margin-bottom-0" disabled={!can('start')} onClick={() => act.mutate({ path: 'start', body: {} })}>
                  Start consultation
                </button>
              ) : null}
              <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" aria-expanded={panel === 'complete'} disabled={!can('complete')} onClick={() => setPanel(panel === 'complete' ? null : 'complete')}>
                Complete validation
              </button>
              <button type="button" className="nhsuk-button nhsuk-button--warning nhsuk-u-margin-bottom-0" aria-expanded={panel === 'reject'} disabled={!can('reject')} onClick={() => setPanel(panel === 'reject' ? null : 'reject')}>
                Cannot validate
              </button>
            </div>
          ) : (
            <p className="nhsuk-body">
              {closed ? 'No further action can be taken on this case.' : v.state === 'IN_PROGRESS' ? `${v.claimedByName ?? 'Another clinician'} is validating this call.` : 'Only clinicians can act on validation requests.'}
            </p>
          )}
          <p className="nhsuk-body-s nhsuk-u-margin-top-3">Start the consultation only when you begin assessing the patient, not when you try to call them.</p>

          {panel === 'reject' ? (
            <form
              className="nhsuk-u-margin-top-5"
              noValidate
              onSubmit={(e) => {
                e.preventDefault()
                act.mutate({ path: 'reject', body: reject })
              }}
            >
              <fieldset className="nhsuk-fieldset" id={`${id}-code`}>
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Why can you not validate this call?</legend>
                <div className="nhsuk-radios">
                  {(Object.keys(REJECT_REASONS) as (keyof typeof REJECT_REASONS)[]).map((code) => (
                    <div className="nhsuk-radios__item" key={code}>
                      <input className="nhsuk-radios__input" id={`${id}-r-${code}`} name="code" type="radio" value={code} checked={reject.code === code} onChange={() => setReject((r) => ({ ...r, code }))} />
                      <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${id}-r-${code}`}>
                        {REJECT_REASONS[code]}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label" htmlFor={`${id}-text`}>
                  What the 999 service needs to know
                </label>
                <textarea className="nhsuk-textarea" id={`${id}-text`} rows={3} value={reject.text} onChange={(e) => setReject((r) => ({ ...r, text: e.target.value }))} />
              </div>
              <button type="submit" className="nhsuk-button nhsuk-button--warning" disabled={act.isPending}>
                Send rejection to the 999 service
              </button>
            </form>
          ) : null}

          {panel === 'complete' ? (
            <form
              className="nhsuk-u-margin-top-5"
              noValidate
              onSubmit={(e) => {
                e.preventDefault()
                act.mutate({ path: 'complete', body: form })
              }}
            >
              <fieldset className="nhsuk-fieldset" id={`${id}-outcome`}>
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Does the patient need an ambulance?</legend>
                <div className="nhsuk-radios">
                  {[
                    ['dispatch', 'Yes: dispatch required'],
                    ['no-further-action', 'No: no further action by the ambulance service'],
                  ].map(([value, label]) => (
                    <div className="nhsuk-radios__item" key={value}>
                      <input className="nhsuk-radios__input" id={`${id}-o-${value}`} name="outcome" type="radio" value={value} checked={form.outcome === value} onChange={() => set('outcome', value!)} />
                      <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${id}-o-${value}`}>
                        {label}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label" htmlFor={`${id}-arpCode`}>
                  Validated ARP category (999 triage: {v.originalArpCode ?? 'not provided'})
                </label>
                <select className="nhsuk-select" id={`${id}-arpCode`} value={form.arpCode} onChange={(e) => set('arpCode', e.target.value)}>
                  <option value="">Choose a category</option>
                  {ARP_CODES.map((c) => (
                    <option key={c} value={c}>
                      {c} {ARP_DISPLAY[c]}
                    </option>
                  ))}
                </select>
              </div>
              {(['sgCode', 'sdCode', 'dxCode'] as const).map((k) => (
                <div className="nhsuk-form-group" key={k}>
                  <label className="nhsuk-label" htmlFor={`${id}-${k}`}>
                    Pathways {k === 'sgCode' ? 'symptom group (SG)' : k === 'sdCode' ? 'symptom discriminator (SD)' : 'disposition (Dx)'}
                  </label>
                  <input className="nhsuk-input nhsuk-input--width-10" id={`${id}-${k}`} value={form[k]} onChange={(e) => set(k, e.target.value)} />
                </div>
              ))}
              <div className="nhsuk-form-group">
                <label className="nhsuk-label" htmlFor={`${id}-summary`}>
                  Consultation summary
                </label>
                <textarea className="nhsuk-textarea" id={`${id}-summary`} rows={4} value={form.summary} onChange={(e) => set('summary', e.target.value)} />
              </div>
              <fieldset className="nhsuk-fieldset" id={`${id}-sceneSafety`}>
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Scene safety (as received: {v.content.sceneSafety.display})</legend>
                <div className="nhsuk-radios nhsuk-radios--inline">
                  {[
                    ['S', 'Safe'],
                    ['U', 'Unsafe'],
                    ['UNK', 'Unknown'],
                  ].map(([value, label]) => (
                    <div className="nhsuk-radios__item" key={value}>
                      <input className="nhsuk-radios__input" id={`${id}-s-${value}`} name="sceneSafety" type="radio" value={value} checked={form.sceneSafety === value} onChange={() => set('sceneSafety', value!)} />
                      <label className="nhsuk-label nhsuk-radios__label" htmlFor={`${id}-s-${value}`}>
                        {label}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
              <fieldset className="nhsuk-fieldset">
                <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Incident location, if it changed</legend>
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label" htmlFor={`${id}-locationLine`}>
                    Address line
                  </label>
                  <input className="nhsuk-input" id={`${id}-locationLine`} value={form.locationLine} onChange={(e) => set('locationLine', e.target.value)} />
                </div>
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label" htmlFor={`${id}-locationPostcode`}>
                    Postcode
                  </label>
                  <input className="nhsuk-input nhsuk-input--width-10" id={`${id}-locationPostcode`} value={form.locationPostcode} onChange={(e) => set('locationPostcode', e.target.value)} />
                </div>
              </fieldset>
              <div className="nhsuk-form-group">
                <label className="nhsuk-label" htmlFor={`${id}-cadReference`}>
                  CAD reference of the new ambulance request{upgrade ? '' : ' (only for an upgrade to C1 or C2)'}
                </label>
                <div className="nhsuk-hint" id={`${id}-cad-hint`}>
                  For a C1 or C2 upgrade, raise the ambulance with the 999 service over the existing ITK route (outside BaRS) and enter the case reference it returned.
                </div>
                <input className="nhsuk-input nhsuk-input--width-20" id={`${id}-cadReference`} aria-describedby={`${id}-cad-hint`} value={form.cadReference} onChange={(e) => set('cadReference', e.target.value)} />
              </div>
              <div className="nhsuk-checkboxes nhsuk-form-group" id={`${id}-consentConfirmed`}>
                <div className="nhsuk-checkboxes__item">
                  <input className="nhsuk-checkboxes__input" id={`${id}-consent`} type="checkbox" checked={form.consentConfirmed} onChange={(e) => set('consentConfirmed', e.target.checked)} />
                  <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={`${id}-consent`}>
                    The patient consented to share this information for their direct care
                  </label>
                </div>
              </div>
              <button type="submit" className="nhsuk-button" disabled={act.isPending}>
                Send full response to the 999 service
              </button>
            </form>
          ) : null}
        </div>
      </section>

      <CasContentDetails
        content={v.content}
        rows={[
          ['NHS number', formatNhsNumber(v.patient.nhsNumber) ?? 'Not provided'],
          ['Date of birth', v.patient.birthDate ?? 'Not provided'],
          ['Breach time', formatLondon(v.breachAt)],
          ['Clock start (T5)', v.clockStart ? formatLondon(v.clockStart) : 'Not provided'],
          ['ARP category', `${v.arpCode ? `${v.arpCode} ${ARP_DISPLAY[v.arpCode] ?? ''}` : 'Not provided'}${v.originalArpCode && v.originalArpCode !== v.arpCode ? ` (first sent as ${v.originalArpCode})` : ''}`],
          ['Use case', USE_CASE_DISPLAYS[v.useCase] ?? v.useCase],
          ['Requested by', v.senderName ?? 'Not provided'],
        ]}
      />

      <h2 className="nhsuk-heading-m">Responses to the 999 service</h2>
      {v.responses.length ? (
        <ul className="nhsuk-list" data-testid="responses">
          {v.responses.map((r) => (
            <li key={r.id}>
              {KIND[r.kind] ?? r.kind}: <strong>{DELIVERY[r.status] ?? r.status}</strong>
              {r.deliveredAt ? ` at ${formatLondon(r.deliveredAt, { timeStyle: 'short' })}` : ''}
              {r.status !== 'DELIVERED' && r.attempts > 0 ? ` (${r.attempts} attempts)` : ''}
            </li>
          ))}
        </ul>
      ) : (
        <p className="nhsuk-body">None sent yet.</p>
      )}

      <h2 className="nhsuk-heading-m">Versions received</h2>
      <ul className="nhsuk-list">
        {v.versions.map((x) => (
          <li key={x.version}>
            Version {x.version}, {formatLondon(x.at, { timeStyle: 'short' })}: {x.summary}
          </li>
        ))}
      </ul>
      <p className="nhsuk-body">
        <Link href="/validations">Back to the validation queue</Link>
      </p>
    </>
  )
}

function fmtTime(s: string): string {
  return Number.isNaN(Date.parse(s)) ? s : formatLondon(s, { timeStyle: 'short' })
}
