'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { BackLink, Button, Select, SelectOption, SummaryList, SummaryListKey, SummaryListRow, SummaryListValue, TextInput, Textarea } from 'nhsuk-react-components'
import { formatNhsNumber } from '@/lib/bars/identifiers'
import { sendJson, slotQueries } from '@/lib/query/slot-queries'
import { Feedback, LoadError, Loading, useFeedback } from './feedback'

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <SummaryListRow>
      <SummaryListKey>{label}</SummaryListKey>
      <SummaryListValue>{children}</SummaryListValue>
    </SummaryListRow>
  )
}

/** A booking at the desk: move it to another window, or cancel it with a reason. */
export function BookingPanel({ bookingId }: { bookingId: string }) {
  const q = useQuery(slotQueries.booking(bookingId))
  const client = useQueryClient()
  const router = useRouter()
  const { feedback, fail } = useFeedback()
  const [date, setDate] = useState<string | null>(null)
  const [target, setTarget] = useState('')
  const day = q.data ? (date ?? q.data.booking.date) : ''
  const windows = useQuery({ ...slotQueries.board(q.data?.booking.serviceId ?? '', day, 'day'), enabled: !!q.data })

  const move = useMutation({
    mutationFn: (body: { slotId: string; overbookReason?: string }) => sendJson<{ slotId: string }>('POST', `/api/slots/bookings/${bookingId}/move`, body),
    onSuccess: async (r) => {
      await client.invalidateQueries({ queryKey: slotQueries.all })
      router.push(`/slots/windows/${r.slotId}?moved=1`)
    },
    onError: fail,
  })
  const cancel = useMutation({
    mutationFn: (reason: string) => sendJson('POST', `/api/slots/bookings/${bookingId}/cancel`, { reason }),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: slotQueries.all })
      router.push(q.data?.booking.slotId ? `/slots/windows/${q.data.booking.slotId}?cancelled=1` : '/slots')
    },
    onError: fail,
  })

  if (q.isPending) return <Loading what="the booking" />
  if (q.isError) return <LoadError error={q.error} />
  const { booking: b, canOverbook } = q.data
  const options = (windows.data?.days[0]?.windows ?? []).filter((w) => w.id !== b.slotId && w.state !== 'blocked' && w.state !== 'ended')
  const chosen = options.find((w) => w.id === target)
  const needsReason = !!chosen && chosen.remaining === 0
  const busy = move.isPending || cancel.isPending

  return (
    <>
      {b.slotId ? (
        <BackLink asElement={Link} href={`/slots/windows/${b.slotId}`}>
          Back to the window
        </BackLink>
      ) : null}
      <h1>
        <span className="nhsuk-caption-l">Booking</span>
        {b.patientName}
      </h1>
      <Feedback feedback={feedback} fieldIds={{ slotId: 'move-window', overbookReason: 'move-overbook', reason: 'cancel-reason' }} />
      <SummaryList>
        <Row label="Window">
          {b.windowLabel}, {b.dateLabel}
        </Row>
        <Row label="Status">{b.statusLabel}</Row>
        <Row label="NHS number">{formatNhsNumber(b.nhsNumber) ?? 'Not provided'}</Row>
        <Row label="Date of birth">{b.birthDate ?? 'Not provided'}</Row>
        <Row label="Referral">
          {b.referral ? (
            <Link className="nhsuk-link" href={`/referrals/${b.referral.id}`}>
              {b.referral.caseReference}
            </Link>
          ) : (
            'None linked'
          )}
        </Row>
        {b.overbooked ? <Row label="Overbooked because">{b.overbookReason ?? 'Not provided'}</Row> : null}
      </SummaryList>

      {b.status !== 'booked' ? (
        <p className="nhsuk-body">This booking is {b.statusLabel.toLowerCase()}, so it cannot be moved or cancelled.</p>
      ) : (
        <>
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault()
              const f = new FormData(e.currentTarget)
              move.mutate({ slotId: String(f.get('slotId') ?? ''), overbookReason: needsReason ? String(f.get('overbookReason') ?? '') : undefined })
            }}
          >
            <h2 className="nhsuk-heading-m">Move to another window</h2>
            <TextInput id="move-date" label="Date" type="date" value={day} onChange={(e) => (setDate(e.currentTarget.value), setTarget(''))} />
            {windows.isPending ? (
              <Loading what="windows" />
            ) : windows.isError ? (
              <LoadError error={windows.error} />
            ) : options.length === 0 ? (
              <p className="nhsuk-body">No other open windows on this date.</p>
            ) : (
              <Select id="move-window" name="slotId" label="New window" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
                <SelectOption value="">Choose a window</SelectOption>
                {options.map((w) => (
                  <SelectOption key={w.id} value={w.id} disabled={w.remaining === 0 && !canOverbook}>
                    {w.label} ({w.remaining === 0 ? 'full' : `${w.remaining} left`})
                  </SelectOption>
                ))}
              </Select>
            )}
            {needsReason ? <Textarea id="move-overbook" name="overbookReason" label="Reason for booking beyond capacity" hint="The chosen window is full. The booking will be shown as overbooked." rows={3} /> : null}
            <Button type="submit" disabled={busy || options.length === 0}>
              Move booking
            </Button>
          </form>

          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault()
              cancel.mutate(String(new FormData(e.currentTarget).get('reason') ?? ''))
            }}
          >
            <h2 className="nhsuk-heading-m">Cancel this booking</h2>
            <Textarea id="cancel-reason" name="reason" label="Reason for cancelling" rows={3} />
            <Button type="submit" warning disabled={busy}>
              Cancel booking
            </Button>
          </form>
        </>
      )}
    </>
  )
}
