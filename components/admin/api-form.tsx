'use client'

import { Button, ErrorSummary, ErrorSummaryList, ErrorSummaryListItem, ErrorSummaryTitle } from 'nhsuk-react-components'
import { useRouter } from 'next/navigation'
import { createContext, useContext, useRef, useState } from 'react'
import { ApiError, apiFetch, type TFieldIssue } from '@/lib/query/api-client'
import { useErrorTitle } from '@/components/layout/use-error-title'

/**
 * A form that sends JSON to a staff API route and shows its answer the NHS.UK way: an error summary
 * at the top (focused) linking to each field, and the message beside the field.
 */
const FieldErrors = createContext<Record<string, string>>({})

export function useFieldError(name: string): string | undefined {
  return useContext(FieldErrors)[name]
}

export interface TApiFormProps {
  method: 'POST' | 'PUT'
  url: string
  toBody: (form: FormData) => unknown
  /** Where to go after success (the response JSON is given), or a callback. */
  onSuccess: (data: unknown) => string | void
  submitLabel: string
  children: React.ReactNode
  /** Field names in the order they appear, for the error summary links. */
  fieldOrder?: string[]
}

export function ApiForm({ method, url, toBody, onSuccess, submitLabel, children, fieldOrder = [] }: TApiFormProps) {
  const router = useRouter()
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const [issues, setIssues] = useState<TFieldIssue[]>([])
  const summaryRef = useRef<HTMLDivElement>(null)
  useErrorTitle(message !== null)

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault()
    setBusy(true)
    setMessage(null)
    setIssues([])
    try {
      const data = await apiFetch(url, { method, body: toBody(new FormData(e.currentTarget)) })
      const next = onSuccess(data)
      if (next) {
        router.push(next)
        router.refresh()
      }
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(0, 'server-error', 'Something went wrong. Try again.')
      const sorted = [...apiErr.issues].sort((a, b) => indexOf(fieldOrder, a.path) - indexOf(fieldOrder, b.path))
      setIssues(sorted)
      setMessage(apiErr.message)
      requestAnimationFrame(() => summaryRef.current?.focus())
    } finally {
      setBusy(false)
    }
  }

  const byField = Object.fromEntries(issues.map((i) => [topField(i.path), i.message]))
  return (
    <form onSubmit={onSubmit} noValidate>
      {message ? (
        <ErrorSummary ref={summaryRef} tabIndex={-1} data-testid="form-errors">
          <ErrorSummaryTitle>There is a problem</ErrorSummaryTitle>
          <ErrorSummaryList>
            {issues.length === 0 ? <li>{message}</li> : issues.map((i) => <ErrorSummaryListItem key={i.path} href={`#${topField(i.path)}`}>{i.message}</ErrorSummaryListItem>)}
          </ErrorSummaryList>
        </ErrorSummary>
      ) : null}
      <FieldErrors.Provider value={byField}>{children}</FieldErrors.Provider>
      <Button type="submit" disabled={busy}>
        {busy ? 'Saving…' : submitLabel}
      </Button>
    </form>
  )
}

function topField(path: string): string {
  return path.split('.')[0] ?? path
}

function indexOf(order: string[], path: string): number {
  const i = order.indexOf(topField(path))
  return i < 0 ? order.length : i
}

/** Lines of a textarea → trimmed non-empty values. */
export function linesOf(form: FormData, name: string): string[] {
  return String(form.get(name) ?? '')
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
}
