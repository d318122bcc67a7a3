'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import Link from 'next/link'
import { useRef, useState } from 'react'
import { ApiError, apiFetch } from '@/lib/query/api-client'
import { outboxKeys, outboxQuery } from '@/lib/query/referral-queries'
import type { TOutboxRow } from '@/lib/outbox/list-outbox'
import { formatDateTime, formatTime } from '@/lib/time/format'

const STATUS: Record<string, { text: string; tag: string }> = {
  PENDING: { text: 'Waiting', tag: 'nhsuk-tag--yellow' },
  DEAD: { text: 'Failed', tag: 'nhsuk-tag--red' },
  DELIVERED: { text: 'Delivered', tag: 'nhsuk-tag--green' },
}

const KIND: Record<string, string> = {
  accept: 'Accepted',
  reject: 'Rejected',
  rebook: 'New arrival window',
  'booking-cancelled': 'Booking cancelled',
  'dna-feedback': 'Did not attend',
  'dna-safeguarding-feedback': 'Safeguarding did not attend',
}

/** Responses owed to senders: what is waiting, what failed (with resend), and the latest deliveries. */
export function OutboxAdmin({ initial }: { initial: TOutboxRow[] }) {
  const qc = useQueryClient()
  const { data } = useQuery({ ...outboxQuery(), initialData: { messages: initial } })
  const [note, setNote] = useState<string | null>(null)
  const noteRef = useRef<HTMLDivElement>(null)
  const resend = useMutation({
    mutationFn: (id: string) => apiFetch(`/api/outbox/${id}/resend`, { method: 'POST', body: {} }),
    onSuccess: () => {
      setNote('The message is back in the queue and will be sent again now, with the same ids.')
      void qc.invalidateQueries({ queryKey: outboxKeys.all })
      requestAnimationFrame(() => noteRef.current?.focus())
    },
    onError: (e) => {
      setNote(e instanceof ApiError ? e.message : 'The message could not be queued again. Try again.')
      requestAnimationFrame(() => noteRef.current?.focus())
    },
  })
  const rows = data.messages
  const open = rows.filter((m) => m.status !== 'DELIVERED')
  const delivered = rows.filter((m) => m.status === 'DELIVERED')

  const table = (list: TOutboxRow[], caption: string, withActions: boolean) => (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
    <table className="nhsuk-table" data-testid={withActions ? 'outbox-open' : 'outbox-delivered'}>
      <caption className="nhsuk-table__caption">{caption}</caption>
      <thead className="nhsuk-table__head">
        <tr className="nhsuk-table__row">
          <th scope="col" className="nhsuk-table__header">Case</th>
          <th scope="col" className="nhsuk-table__header">Response</th>
          <th scope="col" className="nhsuk-table__header">Status</th>
          <th scope="col" className="nhsuk-table__header">Attempts</th>
          <th scope="col" className="nhsuk-table__header">{withActions ? 'Last error and next try' : 'Delivered'}</th>
          {withActions ? <th scope="col" className="nhsuk-table__header">Action</th> : null}
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {list.map((m) => (
          <tr className="nhsuk-table__row" key={m.id} data-testid="outbox-row">
            <td className="nhsuk-table__cell">
              {m.referralId ? (
                <Link className="nhsuk-link" href={`/referrals/${m.referralId}`}>
                  {m.caseReference}
                </Link>
              ) : (
                'Not linked'
              )}
              <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{m.sender ?? 'Sender not named'}</div>
            </td>
            <td className="nhsuk-table__cell">
              {KIND[m.kind] ?? m.kind}
              <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">{formatDateTime(m.createdAt)}</div>
            </td>
            <td className="nhsuk-table__cell">
              <strong className={`nhsuk-tag ${STATUS[m.status]?.tag ?? ''}`}>{STATUS[m.status]?.text ?? m.status}</strong>
            </td>
            <td className="nhsuk-table__cell">{m.attempts}</td>
            <td className="nhsuk-table__cell">
              {withActions ? (
                <>
                  {m.lastError ?? 'None yet'}
                  {m.status === 'PENDING' ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">Next try {formatTime(m.nextAttemptAt)}</div> : null}
                  {!m.target ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">The sender has no response address configured.</div> : null}
                </>
              ) : m.deliveredAt ? (
                formatDateTime(m.deliveredAt)
              ) : null}
            </td>
            {withActions ? (
              <td className="nhsuk-table__cell">
                <button type="button" className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0" disabled={resend.isPending} onClick={() => resend.mutate(m.id)}>
                  {m.status === 'DEAD' ? 'Resend' : 'Send now'}
                  <span className="nhsuk-u-visually-hidden"> the response for {m.caseReference ?? 'this referral'}</span>
                </button>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  )

  return (
    <>
      <div ref={noteRef} tabIndex={-1} role="status" className={note ? 'nhsuk-inset-text' : ''}>
        {note}
      </div>
      <h2 className="nhsuk-heading-m">Waiting or failed ({open.length})</h2>
      {open.length ? table(open, 'Responses not yet delivered, oldest first', true) : <p className="nhsuk-body" data-testid="outbox-empty">Every response has been delivered.</p>}
      <h2 className="nhsuk-heading-m">Recently delivered</h2>
      {delivered.length ? table(delivered, 'The latest deliveries', false) : <p className="nhsuk-body">Nothing delivered yet.</p>}
    </>
  )
}
