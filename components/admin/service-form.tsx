'use client'

import { ApiForm } from './api-form'
import { SERVICE_KIND_INFO, SERVICE_KINDS, type TServiceKind } from '@/lib/bars/service-kinds'
import { CheckboxGroup, Field, SelectField } from './fields'

export interface TServiceFormValues {
  id?: string
  dosServiceId: string
  name: string
  odsCode: string
  kind: TServiceKind
  useCases: string[]
  minAppVersion: string
  maxAppVersion: string
  amberMinutes: number
  redMinutes: number
  maxSlotWindowHours: number
  active: boolean
  senderIds: string[]
}

const ORDER = ['name', 'dosServiceId', 'odsCode', 'kind', 'useCases', 'minAppVersion', 'maxAppVersion', 'amberMinutes', 'redMinutes', 'maxSlotWindowHours', 'senderIds', 'active']

export function ServiceForm({ initial, useCases, senders }: { initial?: TServiceFormValues; useCases: { value: string; label: string }[]; senders: { value: string; label: string }[] }) {
  const editing = Boolean(initial?.id)
  return (
    <ApiForm
      method={editing ? 'PUT' : 'POST'}
      url={editing ? `/api/admin/services/${initial!.id}` : '/api/admin/services'}
      fieldOrder={ORDER}
      submitLabel={editing ? 'Save changes' : 'Add service'}
      onSuccess={() => `/admin/services?saved=1`}
      toBody={(f) => ({
        name: f.get('name'),
        dosServiceId: f.get('dosServiceId'),
        odsCode: f.get('odsCode'),
        kind: f.get('kind'),
        useCases: f.getAll('useCases'),
        minAppVersion: f.get('minAppVersion'),
        maxAppVersion: f.get('maxAppVersion'),
        amberMinutes: f.get('amberMinutes'),
        redMinutes: f.get('redMinutes'),
        maxSlotWindowHours: f.get('maxSlotWindowHours'),
        senderIds: f.getAll('senderIds'),
        active: f.getAll('active').includes('yes'),
      })}
    >
      <Field name="name" label="Service name" defaultValue={initial?.name} />
      <Field name="dosServiceId" label="DoS service id" hint="The id in the Directory of Services and the BaRS Endpoint Catalogue, digits only" defaultValue={initial?.dosServiceId} width={20} inputMode="numeric" />
      <Field name="odsCode" label="ODS code" hint="For example, RXX01" defaultValue={initial?.odsCode} width={10} />
      <SelectField name="kind" label="Kind of service" options={SERVICE_KINDS.map((k) => ({ value: k, label: SERVICE_KIND_INFO[k].label }))} defaultValue={initial?.kind ?? 'EMERGENCY'} />
      <CheckboxGroup name="useCases" legend="Use cases accepted" hint="Only use cases of the kind's BaRS Applications: 1 and 2 for an emergency department, 3 and 4 for a clinical assessment service, 5 for a community pharmacy" options={useCases} defaultValues={initial?.useCases} small />
      <Field name="minAppVersion" label="Lowest Application version accepted (Applications 1 and 2)" hint="Bundle.meta.versionId, for example 1.0.0. Applications 3, 4 and 5 accept their published version ranges" defaultValue={initial?.minAppVersion ?? '1.0.0'} width={10} />
      <Field name="maxAppVersion" label="Highest Application version accepted (Applications 1 and 2)" defaultValue={initial?.maxAppVersion ?? '2.1.0'} width={10} />
      <Field name="amberMinutes" label="Amber deadline warning (minutes left)" defaultValue={initial?.amberMinutes ?? 60} width={5} inputMode="numeric" />
      <Field name="redMinutes" label="Red deadline warning (minutes left)" defaultValue={initial?.redMinutes ?? 15} width={5} inputMode="numeric" />
      <Field name="maxSlotWindowHours" label="Widest slot search answered (hours)" hint="Wider GET /Slot searches are refused as too costly" defaultValue={initial?.maxSlotWindowHours ?? 168} width={5} inputMode="numeric" />
      <CheckboxGroup
        name="senderIds"
        legend="Sender systems allowed to send to this service"
        hint="Leave all unticked to accept any sender the BaRS proxy forwards"
        options={senders}
        defaultValues={initial?.senderIds}
        small
      />
      <CheckboxGroup name="active" legend="Status" options={[{ value: 'yes', label: 'Active: receives referrals and bookings' }]} defaultValues={initial === undefined || initial.active ? ['yes'] : []} small />
    </ApiForm>
  )
}
