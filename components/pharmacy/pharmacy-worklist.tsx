'use client'

import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { useEffect, useId, useState } from 'react'
import { OUTCOME_LABELS } from '@/lib/bars/pharmacy-referral'
import type { TPharmacyItem, TPharmacyQuery, TPharmacyWorklist } from '@/lib/pharmacy/list-pharmacy-worklist'
import { pharmacyKeys, pharmacyWorklistQuery } from '@/lib/query/pharmacy-queries'
import { useLiveEvents } from '@/lib/query/use-live-events'
import { formatLondon } from '@/lib/time/london'

const TABS = [
  { tab: undefined, label: 'To do' },
  { tab: 'closed', label: 'Closed' },
  { tab: 'cancelled', label: 'Cancelled by the GP practice' },
] as const

export const PHARMACY_STATUS_LABELS: Record<string, string> = { OPEN: 'New', OUTCOME_RECORDED: 'Outcome recorded', CLOSED: 'Closed' }

/** "Guide: contact by …" — a guide (A5.9): the patient contacts the pharmacy; no call-back is scheduled. */
function GuideTime({ item, nowMs }: { item: TPharmacyItem; nowMs: number }) {
  const due = Date.parse(item.guideTime)
  const late = due < nowMs && item.status !== 'CLOSED' && !item.cancelled
  return (
    <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">
      {late ? <strong className="nhsuk-tag nhsuk-tag--orange">Guide time passed</strong> : null} Patient expected to make contact by{' '}
      <strong>{formatLondon(item.guideTime, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' })}</strong>
    </p>
  )
}

function Item({ item, nowMs }: { item: TPharmacyItem; nowMs: number }) {
  return (
    <li className="nhsuk-card nhsuk-u-margin-bottom-4" data-testid="pharmacy-row" data-status={item.status}>
      <div className="nhsuk-card__content break-words">
        <h2 className="nhsuk-card__heading nhsuk-heading-s">
          <Link className="nhsuk-link" href={`/pharmacy/referrals/${item.id}`}>
            {item.patientName}
          </Link>
        </h2>
        <GuideTime item={item} nowMs={nowMs} />
        {item.adjustments.length ? (
          <div className="nhsuk-inset-text nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-2" data-testid="pharmacy-adjustments">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
              <strong>Individual requirements</strong>
            </p>
            <ul className="nhsuk-list nhsuk-list--bullet nhsuk-body-s nhsuk-u-margin-bottom-0">
              {item.adjustments.map((a, i) => (
                <li key={i}>{a}</li>
              ))}
            </ul>
          </div>
        ) : null}
        <dl className="nhsuk-summary-list nhsuk-u-margin-bottom-0 nhsuk-body-s">
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">NHS number</dt>
            <dd className="nhsuk-summary-list__value">
              {item.nhsNumber ?? 'Not provided'}
              {item.age !== null ? ` · ${item.age} years` : ''} · {item.caseReference}
            </dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Referred by</dt>
            <dd className="nhsuk-summary-list__value" data-testid="pharmacy-referrer">
              {item.referringOrg.name ?? 'Name not provided'} (ODS {item.referringOrg.odsCode ?? 'not provided'}) · {item.referringOrg.type}
            </dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Condition</dt>
            <dd className="nhsuk-summary-list__value">
              {item.condition ?? 'Not provided'}
              {item.serviceRequested ? <div>{item.serviceRequested}</div> : null}
            </dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Contact</dt>
            <dd className="nhsuk-summary-list__value">{item.contact ?? 'Not provided'}</dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Consent</dt>
            <dd className="nhsuk-summary-list__value">{item.consent ?? 'Not provided'}</dd>
          </div>
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Status</dt>
            <dd className="nhsuk-summary-list__value">
              {item.cancelled ? 'Cancelled by the GP practice' : PHARMACY_STATUS_LABELS[item.status]}
              {item.outcome ? ` · ${OUTCOME_LABELS[item.outcome]}` : ''}
            </dd>
          </div>
        </dl>
      </div>
    </li>
  )
}

/**
 * The pharmacist's live worklist (App 5): referrals soonest 24-hour guide time first, with what BaRS
 * asks a pharmacy to show on the list (referring organisation, individual requirements, condition,
 * contact, consent); search by name or NHS number; updated from the event stream.
 */
export function PharmacyWorklist({ initial, initialQuery, nowMs }: { initial: TPharmacyWorklist; initialQuery: TPharmacyQuery; nowMs: number }) {
  const [query, setQuery] = useState<TPharmacyQuery>(initialQuery)
  const [text, setText] = useState(initialQuery.q ?? '')
  const isInitial = JSON.stringify(query) === JSON.stringify(initialQuery)
  const { data, isFetching, isError } = useQuery({ ...pharmacyWorklistQuery(query), initialData: isInitial ? initial : undefined })
  const live = useLiveEvents(initial.cursor, [pharmacyKeys.all])
  const ids = { search: useId(), service: useId() }
  const [now, setNow] = useState(nowMs)
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000)
    return () => clearInterval(t)
  }, [])

  useEffect(() => {
    const p = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v) p.set(k, v)
    window.history.replaceState(null, '', `/pharmacy${p.size ? `?${p}` : ''}`)
  }, [query])

  useEffect(() => {
    const t = setTimeout(() => setQuery((q) => ((q.q ?? '') === text.trim() ? q : { ...q, q: text.trim() || undefined })), 300)
    return () => clearTimeout(t)
  }, [text])

  const items = data?.items ?? []
  return (
    <>
      <p className="nhsuk-body-s" role="status" data-testid="live-status">
        {live === 'live' ? 'Updates live as referrals arrive.' : live === 'connecting' ? 'Connecting to live updates…' : 'Reconnecting to live updates…'}
      </p>
      <form
        role="search"
        className="nhsuk-u-margin-bottom-4"
        onSubmit={(e) => {
          e.preventDefault()
          setQuery((q) => ({ ...q, q: text.trim() || undefined }))
        }}
      >
        <div className="flex flex-wrap items-end gap-4">
          <div className="nhsuk-form-group nhsuk-u-margin-bottom-0 max-w-full">
            <label className="nhsuk-label" htmlFor={ids.search}>
              Search by name or NHS number
            </label>
            <input className="nhsuk-input nhsuk-input--width-20" id={ids.search} type="search" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
          </div>
          {initial.services.length > 1 ? (
            <div className="nhsuk-form-group nhsuk-u-margin-bottom-0 max-w-full">
              <label className="nhsuk-label" htmlFor={ids.service}>
                Pharmacy
              </label>
              <select className="nhsuk-select max-w-full" id={ids.service} value={query.service ?? ''} onChange={(e) => setQuery((q) => ({ ...q, service: e.target.value || undefined }))}>
                <option value="">All pharmacies</option>
                {initial.services.map((s) => (
                  <option key={s.dosServiceId} value={s.dosServiceId}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <button type="submit" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0">
            Search
          </button>
        </div>
      </form>

      <nav aria-label="Pharmacy referrals by status" className="nhsuk-tabs">
        <ul className="nhsuk-tabs__list flex-wrap">
          {TABS.map((t) => {
            const selected = (query.tab ?? undefined) === t.tab
            return (
              <li key={t.label} className={`nhsuk-tabs__list-item${selected ? ' nhsuk-tabs__list-item--selected' : ''}`}>
                <a
                  className="nhsuk-tabs__tab"
                  href={t.tab ? `/pharmacy?tab=${t.tab}` : '/pharmacy'}
                  aria-current={selected ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault()
                    setQuery((q) => ({ ...q, tab: t.tab }))
                  }}
                >
                  {t.label}
                </a>
              </li>
            )
          })}
        </ul>
      </nav>

      <div aria-busy={isFetching} aria-live="polite" aria-relevant="additions" className="nhsuk-u-margin-top-4">
        {isError && !data ? (
          <div className="nhsuk-error-summary" role="alert">
            <h2 className="nhsuk-error-summary__title">The referrals could not be loaded</h2>
            <p>Check your connection; the list will try again.</p>
          </div>
        ) : items.length === 0 ? (
          <p className="nhsuk-body" data-testid="pharmacy-empty">
            {query.q ? 'No referrals match your search.' : query.tab ? 'None.' : 'No referrals to do. New referrals from GP practices appear here as soon as they arrive.'}
          </p>
        ) : (
          <>
            <p className="nhsuk-body-s">
              {items.length} {items.length === 1 ? 'referral' : 'referrals'}
              {query.tab ? '' : ', soonest guide time first'}
            </p>
            <ol className="nhsuk-list" data-testid="pharmacy-list">
              {items.map((item) => (
                <Item key={item.id} item={item} nowMs={now} />
              ))}
            </ol>
          </>
        )}
      </div>
    </>
  )
}
