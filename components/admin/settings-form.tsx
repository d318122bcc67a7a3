'use client'

import { ApiForm } from './api-form'
import { Field } from './fields'

export function SettingsForm({ auditRetentionYears }: { auditRetentionYears: number }) {
  return (
    <ApiForm
      method="PUT"
      url="/api/admin/settings"
      fieldOrder={['auditRetentionYears']}
      submitLabel="Save settings"
      onSuccess={() => '/admin/settings?saved=1'}
      toBody={(f) => ({ auditRetentionYears: f.get('auditRetentionYears') })}
    >
      <Field
        name="auditRetentionYears"
        label="Keep audit records for (years)"
        hint="Older records are deleted by the daily retention job. NHS records guidance: 8 years for most adult records."
        defaultValue={auditRetentionYears}
        width={3}
        inputMode="numeric"
      />
    </ApiForm>
  )
}
