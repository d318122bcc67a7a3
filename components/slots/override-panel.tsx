'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Button, Radios, RadiosItem, Table, TableBody, TableCell, TableHead, TableRow, TextInput } from 'nhsuk-react-components'
import { sendJson, slotQueries } from '@/lib/query/slot-queries'
import { Feedback, LoadError, Loading, useFeedback } from './feedback'

const toMinutes = (hhmm: string): number => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim())
  if (!m) return NaN
  return Number(m[1]) === 24 && Number(m[2]) === 0 ? 1440 : Number(m[1]) * 60 + Number(m[2])
}

type TKind = 'BLOCK' | 'ADD_CAPACITY' | 'CLOSE_DAY'

/** One-off capacity changes: block a period, add places for a period, close a day; and the list of them. */
export function OverridePanel({ serviceId, today }: { serviceId: string; today: string }) {
  const q = useQuery(slotQueries.overrides(serviceId))
  const client = useQueryClient()
  const { feedback, ok, fail } = useFeedback()
  const [kind, setKind] = useState<TKind>('BLOCK')
  const [formKey, setFormKey] = useState(0)
  const add = useMutation({
    mutationFn: (body: unknown) => sendJson('POST', '/api/slots/overrides', body),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: slotQueries.all })
      setFormKey((k) => k + 1)
      ok('Capacity change saved. The arrival windows have been updated.')
    },
    onError: fail,
  })
  const remove = useMutation({
    mutationFn: (id: string) => sendJson('DELETE', `/api/slots/overrides/${id}`),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: slotQueries.all })
      ok('Capacity change removed. The arrival windows have been updated.')
    },
    onError: fail,
  })
  const field = (name: string) => (feedback.field?.includes(name) ? feedback.error : undefined)

  return (
    <>
      <Feedback feedback={feedback} fieldIds={{ 'override.reason': 'override-reason', 'override.date': 'override-date', 'override.startMinute': 'override-start', 'override.endMinute': 'override-end', 'override.capacityDelta': 'override-delta', reason: 'override-reason', date: 'override-date', startMinute: 'override-start', endMinute: 'override-end', capacityDelta: 'override-delta' }} />
      <h2 className="nhsuk-heading-m">Coming up</h2>
      {q.isPending ? (
        <Loading what="capacity changes" />
      ) : q.isError ? (
        <LoadError error={q.error} />
      ) : q.data.length === 0 ? (
        <p className="nhsuk-body">No capacity changes coming up.</p>
      ) : (
        <Table responsive>
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Capacity changes coming up</caption>
          <TableHead>
            <TableRow>
              <TableCell>Change</TableCell>
              <TableCell>When</TableCell>
              <TableCell>Reason</TableCell>
              <TableCell>
                <span className="nhsuk-u-visually-hidden">Actions</span>
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {q.data.map((o) => (
              <TableRow key={o.id} data-testid="override-row">
                <TableCell>
                  {o.kindLabel}
                  {o.kind === 'ADD_CAPACITY' ? ` (+${o.capacityDelta})` : ''}
                </TableCell>
                <TableCell>{o.periodLabel}</TableCell>
                <TableCell>{o.reason}</TableCell>
                <TableCell>
                  <Button small secondary className="nhsuk-u-margin-bottom-0" disabled={remove.isPending} onClick={() => remove.mutate(o.id)}>
                    Remove<span className="nhsuk-u-visually-hidden">: {o.kindLabel}, {o.periodLabel}</span>
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}

      <form
        key={formKey}
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          const f = new FormData(e.currentTarget)
          const base = { kind, date: String(f.get('date') ?? ''), reason: String(f.get('reason') ?? '') }
          add.mutate({
            serviceId,
            override: kind === 'CLOSE_DAY' ? base : { ...base, startMinute: toMinutes(String(f.get('start') ?? '')), endMinute: toMinutes(String(f.get('end') ?? '')), capacityDelta: kind === 'ADD_CAPACITY' ? Number(f.get('capacityDelta')) : 0 },
          })
        }}
      >
        <h2 className="nhsuk-heading-m">Add a capacity change</h2>
        <Radios id="override-kind" name="kind" legend="What do you want to do?">
          <RadiosItem id="override-kind" value="BLOCK" checked={kind === 'BLOCK'} onChange={() => setKind('BLOCK')}>
            Block a period
          </RadiosItem>
          <RadiosItem id="override-kind-add" value="ADD_CAPACITY" checked={kind === 'ADD_CAPACITY'} onChange={() => setKind('ADD_CAPACITY')}>
            Add places for a period
          </RadiosItem>
          <RadiosItem id="override-kind-close" value="CLOSE_DAY" checked={kind === 'CLOSE_DAY'} onChange={() => setKind('CLOSE_DAY')}>
            Close a whole day
          </RadiosItem>
        </Radios>
        <TextInput id="override-date" name="date" label="Date" type="date" defaultValue={today} error={field('date')} />
        {kind !== 'CLOSE_DAY' ? (
          <>
            <TextInput id="override-start" name="start" label="From" hint="24-hour London time, for example 08:00" width={5} defaultValue="08:00" error={field('startMinute')} />
            <TextInput id="override-end" name="end" label="Until" hint="Use 24:00 for midnight." defaultValue="10:00" width={5} error={field('endMinute')} />
          </>
        ) : null}
        {kind === 'ADD_CAPACITY' ? <TextInput id="override-delta" name="capacityDelta" label="Extra places in each window" inputMode="numeric" width={3} defaultValue="1" error={field('capacityDelta')} /> : null}
        <TextInput id="override-reason" name="reason" label="Reason" error={field('reason')} />
        <Button type="submit" disabled={add.isPending}>
          Save capacity change
        </Button>
      </form>
    </>
  )
}
