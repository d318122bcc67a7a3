'use client'

import { ApiForm } from './api-form'
import { CheckboxGroup, Field } from './fields'

const ROLE_OPTIONS = [
  { value: 'CLINICIAN', label: 'Clinician: triage referrals' },
  { value: 'RECEPTIONIST', label: 'Receptionist: slots and bookings' },
  { value: 'ADMIN', label: 'Administrator: configuration, users and audit' },
]

export interface TUserFormValues {
  id: string
  email: string
  name: string
  roles: string[]
  active: boolean
  locked: boolean
}

export function UserForm({ initial }: { initial?: TUserFormValues }) {
  if (!initial) {
    return (
      <ApiForm
        method="POST"
        url="/api/admin/users"
        fieldOrder={['name', 'email', 'roles', 'password']}
        submitLabel="Add user"
        onSuccess={() => '/admin/users?saved=1'}
        toBody={(f) => ({ name: f.get('name'), email: f.get('email'), roles: f.getAll('roles'), password: f.get('password') })}
      >
        <Field name="name" label="Full name" />
        <Field name="email" label="Email address" type="email" autoComplete="off" />
        <CheckboxGroup name="roles" legend="Roles" hint="Choose all that apply" options={ROLE_OPTIONS} />
        <Field name="password" label="First password" hint="At least 12 characters. Give it to the user securely." type="password" autoComplete="new-password" />
      </ApiForm>
    )
  }
  return (
    <ApiForm
      method="PUT"
      url={`/api/admin/users/${initial.id}`}
      fieldOrder={['name', 'roles', 'active', 'password', 'unlock']}
      submitLabel="Save changes"
      onSuccess={() => '/admin/users?saved=1'}
      toBody={(f) => ({ name: f.get('name'), roles: f.getAll('roles'), active: f.getAll('active').includes('yes'), password: f.get('password') || undefined, unlock: f.getAll('unlock').includes('yes') })}
    >
      <Field name="name" label="Full name" defaultValue={initial.name} />
      <CheckboxGroup name="roles" legend="Roles" hint="Choose all that apply" options={ROLE_OPTIONS} defaultValues={initial.roles} />
      <CheckboxGroup name="active" legend="Status" hint="A deactivated user is signed out everywhere and cannot sign in" options={[{ value: 'yes', label: 'Active' }]} defaultValues={initial.active ? ['yes'] : []} small />
      <Field name="password" label="New password (optional)" hint="Leave blank to keep the current one. Setting one signs the user out everywhere." type="password" autoComplete="new-password" />
      {initial.locked ? <CheckboxGroup name="unlock" legend="Locked after too many failed sign-ins" options={[{ value: 'yes', label: 'Unlock now' }]} small /> : null}
    </ApiForm>
  )
}
