'use client'

import { useQuery } from '@tanstack/react-query'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useEffect, useId, useState } from 'react'
import { REFERRAL_STATES, STATE_LABELS, type TReferralState } from '@/lib/bars/referral-state'
import { inboxQuery } from '@/lib/query/referral-queries'
import { useLiveEvents } from '@/lib/query/use-live-events'
import { DECIDED_STATES, INBOX_MAX_ROWS, INBOX_PAGE } from '@/lib/referrals/inbox-tabs'
import type { TInboxData, TInboxItem, TInboxQuery } from '@/lib/referrals/list-inbox'
import { formatDate, formatDateTime, formatTime } from '@/lib/time/format'
import { timeLeft, URGENCY_TAG, URGENCY_WORDS } from './countdown'
import { useShortcuts } from './use-shortcuts'

const TAB_SLUG: Record<TReferralState, string> = {
  NEW: 'new', ACCEPTED: 'accepted', REJECTED: 'rejected', BOOKED: 'booked', ARRIVED: 'arrived', DID_NOT_ATTEND: 'did-not-attend', CANCELLED: 'cancelled',
}

export function stateFromSlug(slug: string | undefined): TReferralState {
  return (Object.entries(TAB_SLUG).find(([, s]) => s === slug)?.[0] as TReferralState | undefined) ?? 'NEW'
}

function useNow(initial: number, everyMs: number): number {
  const [now, setNow] = useState(initial)
  useEffect(() => {
    const first = setTimeout(() => setNow(Date.now()), 0)
    const t = setInterval(() => setNow(Date.now()), everyMs)
    return () => {
      clearTimeout(first)
      clearInterval(t)
    }
  }, [everyMs])
  return now
}

function Countdown({ item, now }: { item: TInboxItem; now: number }) {
  const left = timeLeft(item.deadline, now, item.amberMinutes, item.redMinutes)
  return (
    <strong className={URGENCY_TAG[left.urgency]} data-urgency={left.urgency}>
      {URGENCY_WORDS[left.urgency] ? <span className="nhsuk-u-visually-hidden">{URGENCY_WORDS[left.urgency]}</span> : null}
      {left.text}
    </strong>
  )
}

function Decision({ d }: { d: NonNullable<TInboxItem['decision']> }) {
  return (
    <div data-testid="row-decision">
      <strong>{d.label}</strong>
      <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{formatDateTime(d.at)}</div>
      {d.by ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">by {d.by}</div> : null}
      {d.reason ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{d.reason}</div> : null}
    </div>
  )
}

function Row({ item, now }: { item: TInboxItem; now: number }) {
  const otherFlags = item.flagCount - (item.safeguarding ? 1 : 0)
  return (
    <tr className="nhsuk-table__row" data-testid="inbox-row" data-state={item.state}>
      <td className="nhsuk-table__cell">
        {item.decision ? (
          <Decision d={item.decision} />
        ) : (
          <>
            <Countdown item={item} now={now} />
            {item.deadline ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">by {formatTime(item.deadline)}</div> : null}
          </>
        )}
        {item.deadlineNote && !item.decision ? (
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0" data-testid="deadline-note">
            {item.deadlineNote}
          </div>
        ) : null}
      </td>
      <td className="nhsuk-table__cell">
        <Link href={`/referrals/${item.id}`} className="nhsuk-link">
          {item.patientName ?? 'Name not provided'}
        </Link>
        {item.safeguarding ? (
          <>
            {' '}
            <strong className="nhsuk-tag nhsuk-tag--red">Safeguarding</strong>
          </>
        ) : null}
        {otherFlags > 0 ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{otherFlags === 1 ? '1 other flag' : `${otherFlags} other flags`}</div> : null}
        <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
          {item.age === null ? 'Age not provided' : `${item.age} years`} · {item.caseReference}
        </div>
      </td>
      {/* elementtiming: the browser records when this text is first painted (the bench's "first inbox row"). */}
      <td className="nhsuk-table__cell" {...{ elementtiming: 'inbox-row' }}>
        {item.nhsNumber ?? 'Not provided'}
      </td>
      <td className="nhsuk-table__cell">
        {item.chiefConcern ?? 'Not provided'}
        {item.disposition ? (
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            {item.disposition}
            {item.dispositionCode ? ` (${item.dispositionCode})` : ''}
          </div>
        ) : null}
      </td>
      <td className="nhsuk-table__cell">
        {item.booking ? `${formatTime(item.booking.start)} to ${formatTime(item.booking.end)}` : 'Not booked'}
        {item.booking ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{formatDate(item.booking.start, { weekday: true })}</div> : null}
      </td>
      <td className="nhsuk-table__cell">
        {item.sender.kind ?? 'Unknown sender'}
        <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{item.sender.organisation ?? item.sender.system ?? 'Not provided'}</div>
      </td>
    </tr>
  )
}

type TSortBy = 'deadline' | 'name' | 'received' | 'decided'

/** A column header that sorts the list: a button (keyboard), with aria-sort on the header cell. */
function SortHeader({ label, by, sort, onSort }: { label: string; by: TSortBy; sort: TInboxData['sort']; onSort: (by: TSortBy, dir: 'asc' | 'desc') => void }) {
  const active = sort.by === by
  const next = active ? (sort.dir === 'asc' ? 'desc' : 'asc') : by === 'decided' || by === 'received' ? 'desc' : 'asc'
  return (
    <th scope="col" className="nhsuk-table__header" aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <button type="button" className="sort-button" onClick={() => onSort(by, next)} data-testid={`sort-${by}`}>
        {label}
        <span aria-hidden="true">{active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
      </button>
    </th>
  )
}

const SORT_WORDS: Record<TSortBy, [string, string]> = {
  deadline: ['least time left first', 'most time left first'],
  name: ['by family name, A to Z', 'by family name, Z to A'],
  received: ['oldest first', 'newest first'],
  decided: ['earliest decision first', 'latest decision first'],
}

/**
 * The clinician's live worklist: tabs by state, search and filters, sorted by time left, updated
 * from the server's event stream without a refresh.
 */
export function Worklist({ initial, initialQuery, nowMs }: { initial: TInboxData; initialQuery: TInboxQuery; nowMs: number }) {
  const router = useRouter()
  const [query, setQuery] = useState<TInboxQuery>(initialQuery)
  const [text, setText] = useState(initialQuery.q ?? '')
  const isInitial = JSON.stringify(query) === JSON.stringify(initialQuery)
  const live = useLiveEvents(initial.cursor)
  // While live updates are lost, poll so the list is never silently stale (issue 11, finding 21).
  const { data, isFetching, isError, isPlaceholderData } = useQuery({ ...inboxQuery(query), initialData: isInitial ? initial : undefined, refetchInterval: live === 'reconnecting' ? 30_000 : false })
  const now = useNow(nowMs, 15_000)
  const ids = { search: useId(), service: useId(), useCase: useId(), sender: useId(), date: useId() }
  const state = stateFromSlug(query.state)

  // Keep the address shareable without reloading the page.
  useEffect(() => {
    const p = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) if (v) p.set(k, v)
    window.history.replaceState(null, '', `/inbox${p.size ? `?${p}` : ''}`)
  }, [query])

  // Search as you type (debounced); the button submits at once.
  useEffect(() => {
    const t = setTimeout(() => setQuery((q) => (q.q ?? '') === text.trim() ? q : { ...q, q: text.trim() || undefined }), 300)
    return () => clearTimeout(t)
  }, [text])

  // A new tab, order or filter starts again from the first page.
  const set = (patch: Partial<TInboxQuery>) => setQuery((q) => ({ ...q, show: undefined, ...patch }))
  const items = data?.items ?? []
  const filtered = !!(query.q || query.service || query.useCase || query.sender || query.date || text.trim())
  const closed = DECIDED_STATES.includes(state)
  const sort = data?.sort ?? initial.sort
  const onSort = (by: TSortBy, dir: 'asc' | 'desc') => set({ sort: by, dir })

  useShortcuts({
    n: () => {
      const first = state === 'NEW' ? items[0] : undefined
      if (first) router.push(`/referrals/${first.id}`)
      else void fetch('/api/referrals/next').then((r) => r.json()).then((d: { id?: string | null }) => d.id && router.push(`/referrals/${d.id}`))
    },
  })

  return (
    <>
      <p className="nhsuk-body-s" role="status" data-testid="live-status">
        {live === 'live' ? 'Updates live as referrals arrive.' : live === 'connecting' ? 'Connecting to live updates…' : 'Reconnecting to live updates…'}
        <span className="shortcut-hint"> Press N to review the next new referral.</span>
      </p>
      {live === 'reconnecting' ? (
        <div className="nhsuk-warning-callout" data-testid="live-lost" role="alert">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Live updates have stopped
            </span>
          </h2>
          <p>New referrals may not appear at once. The list is checked every 30 seconds while we reconnect; reload the page if this stays.</p>
        </div>
      ) : null}

      <form
        role="search"
        className="nhsuk-u-margin-bottom-4"
        onSubmit={(e) => {
          e.preventDefault()
          set({ q: text.trim() || undefined })
        }}
      >
        <div className="flex flex-wrap items-end gap-4">
          <div className="nhsuk-form-group nhsuk-u-margin-bottom-0">
            <label className="nhsuk-label" htmlFor={ids.search}>
              Search by name or NHS number
            </label>
            <input className="nhsuk-input nhsuk-input--width-20" id={ids.search} type="search" value={text} onChange={(e) => setText(e.target.value)} autoComplete="off" />
          </div>
          {initial.filters.services.length > 1 ? (
            <div className="nhsuk-form-group nhsuk-u-margin-bottom-0">
              <label className="nhsuk-label" htmlFor={ids.service}>
                Service
              </label>
              <select className="nhsuk-select" id={ids.service} value={query.service ?? ''} onChange={(e) => set({ service: e.target.value || undefined })}>
                <option value="">All services</option>
                {initial.filters.services.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="nhsuk-form-group nhsuk-u-margin-bottom-0">
            <label className="nhsuk-label" htmlFor={ids.useCase}>
              Use case
            </label>
            <select className="nhsuk-select" id={ids.useCase} value={query.useCase ?? ''} onChange={(e) => set({ useCase: e.target.value || undefined })}>
              <option value="">All use cases</option>
              {initial.filters.useCases.map((u) => (
                <option key={u.code} value={u.code}>
                  {u.label}
                </option>
              ))}
            </select>
          </div>
          <div className="nhsuk-form-group nhsuk-u-margin-bottom-0">
            <label className="nhsuk-label" htmlFor={ids.sender}>
              Sender
            </label>
            <select className="nhsuk-select" id={ids.sender} value={query.sender ?? ''} onChange={(e) => set({ sender: e.target.value || undefined })}>
              <option value="">All senders</option>
              {initial.filters.senders.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <div className="nhsuk-form-group nhsuk-u-margin-bottom-0">
            <label className="nhsuk-label" htmlFor={ids.date}>
              Received on
            </label>
            <input className="nhsuk-input" id={ids.date} type="date" value={query.date ?? ''} onChange={(e) => set({ date: e.target.value || undefined })} />
          </div>
          <button type="submit" className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0">
            Search
          </button>
          {filtered ? (
            <button
              type="button"
              className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
              data-testid="clear-filters"
              onClick={() => {
                setText('')
                setQuery((q) => ({ state: q.state }))
              }}
            >
              Clear filters
            </button>
          ) : null}
        </div>
      </form>

      <nav aria-label="Referrals by state" className="nhsuk-tabs">
        <ul className="nhsuk-tabs__list">
          {REFERRAL_STATES.map((s) => (
            <li key={s} className={`nhsuk-tabs__list-item${s === state ? ' nhsuk-tabs__list-item--selected' : ''}`}>
              <a
                className="nhsuk-tabs__tab"
                href={`/inbox?state=${TAB_SLUG[s]}`}
                aria-current={s === state ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault()
                  // Each tab has its own default order (time left; decision time on closed tabs).
                  set({ state: s === 'NEW' ? undefined : TAB_SLUG[s], sort: undefined, dir: undefined })
                }}
              >
                {STATE_LABELS[s]} ({data?.counts[s] ?? 0})
              </a>
            </li>
          ))}
        </ul>
      </nav>

      <div aria-busy={isFetching} aria-live="polite" aria-relevant="additions" className="nhsuk-u-margin-top-4">
        {isFetching && isPlaceholderData ? (
          <p className="nhsuk-body-s" data-testid="inbox-loading">
            Loading…
          </p>
        ) : null}
        {isError && !data ? (
          <div className="nhsuk-error-summary" role="alert">
            <h2 className="nhsuk-error-summary__title">The referrals could not be loaded</h2>
            <p>Check your connection; the list will try again.</p>
          </div>
        ) : !data ? (
          <p className="nhsuk-body">Loading referrals…</p>
        ) : items.length === 0 ? (
          <p className="nhsuk-body" data-testid="inbox-empty">
            {filtered
              ? 'No referrals match your search. Clear the filters to see every referral.'
              : state === 'NEW'
                ? 'No new referrals. New referrals appear here as soon as they arrive.'
                : `No ${STATE_LABELS[state].toLowerCase()} referrals.`}
          </p>
        ) : (
          <>
            <div className="table-scroll" role="region" aria-labelledby="inbox-caption" tabIndex={0}>
              <table className="nhsuk-table" data-testid="inbox-table">
                <caption className="nhsuk-table__caption" id="inbox-caption">
                  {STATE_LABELS[state]} referrals, {SORT_WORDS[sort.by][sort.dir === 'asc' ? 0 : 1]}{' '}
                  {data.more ? `(showing ${items.length} of ${Math.max(data.counts[state], items.length + 1)})` : `(${items.length})`}
                  <span className="nhsuk-body-s block nhsuk-u-font-weight-normal narrow-only">Scroll sideways to see every column.</span>
                </caption>
                <thead className="nhsuk-table__head">
                  <tr className="nhsuk-table__row">
                    {closed ? <SortHeader label="Decision" by="decided" sort={sort} onSort={onSort} /> : <SortHeader label="Time left" by="deadline" sort={sort} onSort={onSort} />}
                    <SortHeader label="Patient" by="name" sort={sort} onSort={onSort} />
                    <th scope="col" className="nhsuk-table__header">NHS number</th>
                    <th scope="col" className="nhsuk-table__header">Chief concern and disposition</th>
                    <th scope="col" className="nhsuk-table__header">Arrival window</th>
                    <th scope="col" className="nhsuk-table__header">From</th>
                  </tr>
                </thead>
                <tbody className="nhsuk-table__body">
                  {items.map((item) => (
                    <Row key={item.id} item={item} now={now} />
                  ))}
                </tbody>
              </table>
            </div>
            {data.more ? (
              data.limit < INBOX_MAX_ROWS ? (
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-top-4"
                  data-testid="show-more"
                  disabled={isFetching}
                  onClick={() => set({ show: String(data.limit + INBOX_PAGE) })}
                >
                  Show {Math.min(INBOX_PAGE, Math.max(1, data.counts[state] - items.length))} more
                </button>
              ) : (
                <p className="nhsuk-body nhsuk-u-margin-top-4" data-testid="show-more-limit">
                  Only the first {INBOX_MAX_ROWS.toLocaleString('en-GB')} are shown. Search or filter to find the others.
                </p>
              )
            ) : null}
          </>
        )}
      </div>
    </>
  )
}
