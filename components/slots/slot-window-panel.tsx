'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import Link from 'next/link'
import { BackLink, Button, SummaryList, SummaryListKey, SummaryListRow, SummaryListValue, Table, TableBody, TableCell, TableHead, TableRow, Tag, TextInput, Textarea } from 'nhsuk-react-components'
import { formatNhsNumber } from '@/lib/bars/identifiers'
import { sendJson, slotQueries } from '@/lib/query/slot-queries'
import type { TDeskBooking } from '@/lib/slots/slot-views'
import { Feedback, LoadError, Loading, useFeedback } from './feedback'
import { WindowStateTag } from './window-state-tag'

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <SummaryListRow>
      <SummaryListKey>{label}</SummaryListKey>
      <SummaryListValue>{children}</SummaryListValue>
    </SummaryListRow>
  )
}

/** One arrival window: counts, block / unblock, book a patient, and the bookings with their actions. */
export function SlotWindowPanel({ slotId, notice }: { slotId: string; notice?: string }) {
  const q = useQuery(slotQueries.window(slotId))
  const client = useQueryClient()
  const { feedback, ok, fail } = useFeedback()
  const run = useMutation({
    mutationFn: (a: { method: 'POST' | 'DELETE'; url: string; body?: unknown; done: string }) => sendJson(a.method, a.url, a.body),
    onSuccess: async (_r, a) => {
      await client.invalidateQueries({ queryKey: slotQueries.all })
      ok(a.done)
    },
    onError: fail,
  })

  if (q.isPending) return <Loading what="the arrival window" />
  if (q.isError) return <LoadError error={q.error} />
  const { window: w, bookings, blockReasons, canOverbook } = q.data
  const active = bookings.filter((b) => b.status !== 'cancelled')
  const cancelled = bookings.filter((b) => b.status === 'cancelled')
  const full = w.state === 'full' || w.state === 'overbooked'
  const ended = w.state === 'ended'

  return (
    <>
      <BackLink asElement={Link} href={`/slots?service=${w.serviceId}&date=${w.date}&view=day`}>
        Back to {w.dateLabel}
      </BackLink>
      <h1>
        <span className="nhsuk-caption-l">{w.serviceName}</span>
        {w.label}, {w.dateLabel}
      </h1>
      {notice && !feedback.success && !feedback.error ? (
        <div role="status" className="nhsuk-inset-text" data-testid="slots-success">
          <p>{notice}</p>
        </div>
      ) : null}
      <Feedback feedback={feedback} fieldIds={{ reason: 'block-reason', given: 'book-given', family: 'book-family', nhsNumber: 'book-nhs', birthDate: 'book-dob', overbookReason: 'book-overbook' }} />
      <SummaryList>
        <Row label="Status">
          <WindowStateTag state={w.state} />
        </Row>
        <Row label="Places">{w.capacity}</Row>
        <Row label="Booked">
          {w.booked}
          {w.overbooked > 0 ? ` (${w.overbooked} over capacity)` : ''}
        </Row>
        <Row label="Arrived">{w.arrived}</Row>
        <Row label="Did not attend">{w.noshow}</Row>
        <Row label="Remaining">{w.remaining}</Row>
        {blockReasons.length > 0 ? <Row label="Blocked because">{blockReasons.join('; ')}</Row> : null}
      </SummaryList>

      <h2 className="nhsuk-heading-m">Bookings</h2>
      {active.length === 0 ? <p className="nhsuk-body">Nobody is booked into this window.</p> : <BookingsTable bookings={active} busy={run.isPending} onAttendance={(b, outcome) => run.mutate({ method: 'POST', url: `/api/slots/bookings/${b.id}/attendance`, body: { outcome }, done: `${b.patientName} marked as ${outcome === 'arrived' ? 'arrived' : 'did not attend'}.` })} />}
      {cancelled.length > 0 ? (
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">Cancelled bookings ({cancelled.length})</span>
          </summary>
          <div className="nhsuk-details__text">
            <ul className="nhsuk-list">
              {cancelled.map((b) => (
                <li key={b.id}>
                  {b.patientName}: {b.cancelReason ?? 'no reason given'}
                </li>
              ))}
            </ul>
          </div>
        </details>
      ) : null}

      {!ended && w.state !== 'blocked' ? <BookForm key={`book-${w.booked}`} slotId={slotId} full={full} canOverbook={canOverbook} busy={run.isPending} onBook={(body, name) => run.mutate({ method: 'POST', url: `/api/slots/windows/${slotId}/bookings`, body, done: `${name} booked into this window.` })} /> : null}

      {!ended ? (
        w.state === 'blocked' ? (
          <>
            <h2 className="nhsuk-heading-m">Unblock this window</h2>
            <Button secondary disabled={run.isPending} onClick={() => run.mutate({ method: 'DELETE', url: `/api/slots/windows/${slotId}/block`, done: 'Window unblocked.' })}>
              Unblock this window
            </Button>
          </>
        ) : (
          <form
            key={`block-${w.state}`}
            noValidate
            onSubmit={(e) => {
              e.preventDefault()
              const reason = String(new FormData(e.currentTarget).get('reason') ?? '')
              run.mutate({ method: 'POST', url: `/api/slots/windows/${slotId}/block`, body: { reason }, done: 'Window blocked. Patients already booked keep their bookings.' })
            }}
          >
            <h2 className="nhsuk-heading-m">Block this window</h2>
            <TextInput id="block-reason" name="reason" label="Reason for blocking" hint="Senders will not be offered this window. Patients already booked keep their bookings." />
            <Button type="submit" warning disabled={run.isPending}>
              Block this window
            </Button>
          </form>
        )
      ) : null}
    </>
  )
}

function BookingsTable({ bookings, busy, onAttendance }: { bookings: TDeskBooking[]; busy: boolean; onAttendance: (b: TDeskBooking, outcome: 'arrived' | 'noshow') => void }) {
  return (
    <Table responsive>
      <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Bookings in this window</caption>
      <TableHead>
        <TableRow>
          <TableCell>Patient</TableCell>
          <TableCell>Referral</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Actions</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {bookings.map((b) => (
          <TableRow key={b.id} data-testid="window-booking">
            <TableCell>
              <strong>{b.patientName}</strong>
              <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">NHS number {formatNhsNumber(b.nhsNumber) ?? 'Not provided'}</div>
              <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">Born {b.birthDate ?? 'Not provided'}</div>
              <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">Booked {b.source === 'api' ? 'by the sender (BaRS)' : b.source === 'clinician' ? 'by a clinician (another window)' : 'at the desk'}</div>
            </TableCell>
            <TableCell>
              {b.referral ? (
                <Link className="nhsuk-link" href={`/referrals/${b.referral.id}`}>
                  {b.referral.caseReference}
                </Link>
              ) : (
                'None linked'
              )}
            </TableCell>
            <TableCell>
              <Tag modifier={b.status === 'arrived' ? 'green' : b.status === 'noshow' ? 'red' : 'blue'}>{b.statusLabel}</Tag>
              {b.overbooked ? (
                <div className="nhsuk-u-margin-top-1">
                  <Tag modifier="orange">Overbooked</Tag>
                  <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">Reason: {b.overbookReason ?? 'Not provided'}</div>
                </div>
              ) : null}
            </TableCell>
            <TableCell>
              <div className="flex flex-wrap gap-2">
                {b.status !== 'arrived' ? (
                  <Button small secondary disabled={busy} className="nhsuk-u-margin-bottom-0" onClick={() => onAttendance(b, 'arrived')}>
                    Arrived<span className="nhsuk-u-visually-hidden"> for {b.patientName}</span>
                  </Button>
                ) : null}
                {b.status !== 'noshow' ? (
                  <Button small secondary disabled={busy} className="nhsuk-u-margin-bottom-0" onClick={() => onAttendance(b, 'noshow')}>
                    Did not attend<span className="nhsuk-u-visually-hidden"> for {b.patientName}</span>
                  </Button>
                ) : null}
                {b.status === 'booked' ? (
                  <Link className="nhsuk-link" href={`/slots/bookings/${b.id}`}>
                    Move or cancel<span className="nhsuk-u-visually-hidden"> the booking for {b.patientName}</span>
                  </Link>
                ) : null}
              </div>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  )
}

function BookForm({ slotId, full, canOverbook, busy, onBook }: { slotId: string; full: boolean; canOverbook: boolean; busy: boolean; onBook: (body: Record<string, string>, name: string) => void }) {
  if (full && !canOverbook) return <p className="nhsuk-body">This window is full. Choose another window to book a patient.</p>
  return (
    <form
      noValidate
      data-slot={slotId}
      onSubmit={(e) => {
        e.preventDefault()
        const f = new FormData(e.currentTarget)
        const body = Object.fromEntries([...f.entries()].map(([k, v]) => [k, String(v)]))
        onBook(body, `${body.given ?? ''} ${(body.family ?? '').toUpperCase()}`.trim())
      }}
    >
      <h2 className="nhsuk-heading-m">{full ? 'Book beyond capacity' : 'Book a patient into this window'}</h2>
      <TextInput id="book-given" name="given" label="First name" autoComplete="off" width={20} />
      <TextInput id="book-family" name="family" label="Last name" autoComplete="off" width={20} />
      <TextInput id="book-nhs" name="nhsNumber" label="NHS number (optional)" inputMode="numeric" width={10} />
      <TextInput id="book-dob" name="birthDate" label="Date of birth (optional)" type="date" />
      {full ? <Textarea id="book-overbook" name="overbookReason" label="Reason for booking beyond capacity" hint="This window is full. The booking will be shown as overbooked and recorded with your name and this reason." rows={3} /> : null}
      <Button type="submit" disabled={busy}>
        {full ? 'Book beyond capacity' : 'Book patient'}
      </Button>
    </form>
  )
}
