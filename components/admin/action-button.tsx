'use client'

import { Button, ErrorSummary, ErrorSummaryTitle, InsetText } from 'nhsuk-react-components'
import { useState } from 'react'
import { ApiError, apiFetch } from '@/lib/query/api-client'

/** A button that POSTs to a staff API route and shows the outcome beside it (sign out, new token…). */
export function ActionButton({
  url,
  label,
  done,
  secondary,
  confirm,
  redirectTo,
}: {
  url: string
  label: string
  /** Message after success; receives the JSON answer. */
  done: (data: Record<string, unknown>) => React.ReactNode
  secondary?: boolean
  confirm?: string
  redirectTo?: string
}) {
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<React.ReactNode>(null)
  const [error, setError] = useState<string | null>(null)

  async function run() {
    if (confirm && !window.confirm(confirm)) return
    setBusy(true)
    setError(null)
    try {
      const data = await apiFetch<Record<string, unknown>>(url, { method: 'POST' })
      setResult(done(data))
      if (redirectTo) window.location.assign(redirectTo)
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Something went wrong. Try again.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div>
      {error ? (
        <ErrorSummary>
          <ErrorSummaryTitle>{error}</ErrorSummaryTitle>
        </ErrorSummary>
      ) : null}
      {result ? <InsetText>{result}</InsetText> : null}
      <Button type="button" secondary={secondary} disabled={busy} onClick={() => void run()}>
        {label}
      </Button>
    </div>
  )
}
