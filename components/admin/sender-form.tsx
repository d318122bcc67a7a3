'use client'

import { ApiForm, linesOf } from './api-form'
import { CheckboxGroup, Field, LinesField, SelectField } from './fields'

export interface TSenderFormValues {
  id?: string
  name: string
  kind: string
  dosServiceId: string
  odsCodes: string[]
  softwareIds: string[]
  responseBaseUrl: string | null
  clientCertSubject: string | null
  hasOutboundToken: boolean
  active: boolean
}

const KINDS = [
  { value: 'NHS111', label: 'NHS 111' },
  { value: 'CAS', label: 'Clinical Assessment Service (CAS)' },
  { value: 'AMBULANCE_999', label: '999 ambulance service' },
  { value: 'OTHER', label: 'Other' },
]
const ORDER = ['name', 'kind', 'dosServiceId', 'odsCodes', 'softwareIds', 'responseBaseUrl', 'clientCertSubject', 'outboundToken', 'active']

export function SenderForm({ initial }: { initial?: TSenderFormValues }) {
  const editing = Boolean(initial?.id)
  return (
    <ApiForm
      method={editing ? 'PUT' : 'POST'}
      url={editing ? `/api/admin/senders/${initial!.id}` : '/api/admin/senders'}
      fieldOrder={ORDER}
      submitLabel={editing ? 'Save changes' : 'Add sender system'}
      onSuccess={() => '/admin/senders?saved=1'}
      toBody={(f) => ({
        name: f.get('name'),
        kind: f.get('kind'),
        dosServiceId: f.get('dosServiceId'),
        odsCodes: linesOf(f, 'odsCodes'),
        softwareIds: linesOf(f, 'softwareIds'),
        responseBaseUrl: f.get('responseBaseUrl'),
        clientCertSubject: f.get('clientCertSubject'),
        outboundToken: f.get('outboundToken') || undefined,
        clearOutboundToken: f.getAll('clearOutboundToken').includes('yes'),
        active: f.getAll('active').includes('yes'),
      })}
    >
      <Field name="name" label="Name" defaultValue={initial?.name} />
      <SelectField name="kind" label="Kind of sender" options={KINDS} defaultValue={initial?.kind ?? 'NHS111'} />
      <Field name="dosServiceId" label="Sender's DoS service id" hint="MessageHeader.source.endpoint of its messages, digits only" defaultValue={initial?.dosServiceId} width={20} inputMode="numeric" />
      <LinesField name="odsCodes" label="ODS codes allowed" hint="One a line. NHSD-End-User-Organisation must carry one of them. Leave empty to allow any." defaultValue={initial?.odsCodes} />
      <LinesField name="softwareIds" label="Software ids allowed" hint="One a line (NHSD-Requesting-Software). Leave empty to allow any." defaultValue={initial?.softwareIds} />
      <Field name="responseBaseUrl" label="Response base URL" hint="Where we send responses, for example https://bars.example.nhs.uk/fhir" defaultValue={initial?.responseBaseUrl ?? ''} inputMode="url" />
      <Field name="clientCertSubject" label="Client certificate subject (direct integrations)" hint="As passed by our TLS terminator, for example CN=sender.example.nhs.uk, O=Example" defaultValue={initial?.clientCertSubject ?? ''} />
      <Field
        name="outboundToken"
        label={initial?.hasOutboundToken ? 'New outbound token (a token is set; leave blank to keep it)' : 'Outbound token (optional)'}
        hint="The bearer token we present when sending responses to this sender"
        type="password"
        autoComplete="new-password"
      />
      {initial?.hasOutboundToken ? <CheckboxGroup name="clearOutboundToken" legend="Remove the outbound token" options={[{ value: 'yes', label: 'Remove it' }]} small /> : null}
      <CheckboxGroup name="active" legend="Status" options={[{ value: 'yes', label: 'Active: may send to us' }]} defaultValues={initial === undefined || initial.active ? ['yes'] : []} small />
    </ApiForm>
  )
}
