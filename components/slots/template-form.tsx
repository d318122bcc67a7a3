'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { Button, Checkboxes, CheckboxesItem, Select, SelectOption, TextInput } from 'nhsuk-react-components'
import { sendJson, slotQueries } from '@/lib/query/slot-queries'
import { WEEKDAY_NAMES } from '@/lib/slots/slot-labels'
import type { TTemplateView } from '@/lib/slots/slot-views'
import { Feedback, LoadError, Loading, useFeedback } from './feedback'

const toMinutes = (hhmm: string): number => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim())
  if (!m) return NaN
  const h = Number(m[1])
  const min = Number(m[2])
  return h === 24 && min === 0 ? 1440 : h * 60 + min
}

const FIELD_IDS = { weekdays: 'weekdays', startMinute: 'start-time', endMinute: 'end-time', windowMinutes: 'window-minutes', capacity: 'capacity', validFrom: 'valid-from', validTo: 'valid-to' }

/** Create or change a template. */
export function TemplateForm({ serviceId, templateId, today }: { serviceId: string; templateId?: string; today: string }) {
  const existing = useQuery({ ...slotQueries.template(templateId ?? ''), enabled: !!templateId })
  if (templateId && existing.isPending) return <Loading what="the template" />
  if (templateId && existing.isError) return <LoadError error={existing.error} />
  return <TemplateFields serviceId={serviceId} template={existing.data} today={today} />
}

function TemplateFields({ serviceId, template, today }: { serviceId: string; template?: TTemplateView; today: string }) {
  const client = useQueryClient()
  const router = useRouter()
  const { feedback, fail } = useFeedback()
  const back = `/slots/templates?service=${serviceId}&saved=1`
  const save = useMutation({
    mutationFn: (body: unknown) => (template ? sendJson('PUT', `/api/slots/templates/${template.id}`, body) : sendJson('POST', '/api/slots/templates', body)),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: slotQueries.all })
      router.push(back)
    },
    onError: fail,
  })
  const remove = useMutation({
    mutationFn: () => sendJson('DELETE', `/api/slots/templates/${template!.id}`),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: slotQueries.all })
      router.push(`/slots/templates?service=${serviceId}&deleted=1`)
    },
    onError: fail,
  })
  const field = (name: string) => (feedback.field?.startsWith(name) ? feedback.error : undefined)

  return (
    <>
      <Feedback feedback={feedback} fieldIds={FIELD_IDS} />
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          const f = new FormData(e.currentTarget)
          const validTo = String(f.get('validTo') ?? '')
          save.mutate({
            serviceId,
            template: {
              weekdays: f.getAll('weekdays').map(Number),
              startMinute: toMinutes(String(f.get('start') ?? '')),
              endMinute: toMinutes(String(f.get('end') ?? '')),
              windowMinutes: Number(f.get('windowMinutes')),
              capacity: Number(f.get('capacity')),
              validFrom: String(f.get('validFrom') ?? ''),
              validTo: validTo || null,
            },
          })
        }}
      >
        <Checkboxes id="weekdays" name="weekdays" legend="Days" hint="The days this pattern of windows applies to." error={field('weekdays')}>
          {WEEKDAY_NAMES.map((d, i) => (
            <CheckboxesItem key={d} id={i === 0 ? 'weekdays' : `weekdays-${i + 1}`} value={String(i + 1)} defaultChecked={template ? template.weekdays.includes(i + 1) : true}>
              {d}
            </CheckboxesItem>
          ))}
        </Checkboxes>
        <TextInput id="start-time" name="start" label="Opens at" hint="24-hour London time, for example 08:00" width={5} defaultValue={template?.start ?? '08:00'} error={field('startMinute')} />
        <TextInput id="end-time" name="end" label="Last window ends at" hint="For example 22:00. Use 24:00 for midnight." defaultValue={template?.end ?? '22:00'} width={5} error={field('endMinute')} />
        <Select id="window-minutes" name="windowMinutes" label="Window length" defaultValue={String(template?.windowMinutes ?? 30)} error={field('windowMinutes')}>
          {[10, 15, 20, 30, 45, 60, 90, 120].map((m) => (
            <SelectOption key={m} value={String(m)}>
              {m} minutes
            </SelectOption>
          ))}
        </Select>
        <TextInput id="capacity" name="capacity" label="Places in each window" inputMode="numeric" width={3} defaultValue={String(template?.capacity ?? 3)} error={field('capacity')} />
        <TextInput id="valid-from" name="validFrom" label="First day" type="date" defaultValue={template?.validFrom ?? today} error={field('validFrom')} />
        <TextInput id="valid-to" name="validTo" label="Last day (optional)" hint="Leave empty to keep using this template." type="date" defaultValue={template?.validTo ?? ''} error={field('validTo')} />
        <Button type="submit" disabled={save.isPending}>
          Save template
        </Button>
      </form>
      {template ? (
        <>
          <h2 className="nhsuk-heading-m">Delete this template</h2>
          <p className="nhsuk-body">Its future windows are removed. Windows with bookings are kept but blocked, so no patient loses a booking.</p>
          <Button warning disabled={remove.isPending} onClick={() => remove.mutate()}>
            Delete template
          </Button>
        </>
      ) : null}
    </>
  )
}
