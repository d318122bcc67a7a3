'use client'

import { ErrorSummary, ErrorSummaryList, ErrorSummaryListItem, ErrorSummaryTitle } from 'nhsuk-react-components'
import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError } from '@/lib/query/slot-queries'
import { useErrorTitle } from '@/components/layout/use-error-title'

export interface TFeedback {
  success?: string
  error?: string
  field?: string
}

/** Success / problem messages after an action; focus moves to the message so keyboard users hear it. */
export function useFeedback() {
  const [feedback, setFeedback] = useState<TFeedback>({})
  const ok = useCallback((success: string) => setFeedback({ success }), [])
  const fail = useCallback((e: unknown) => setFeedback(e instanceof ApiError ? { error: e.message, field: e.field } : { error: 'Something went wrong. Try again.' }), [])
  const clear = useCallback(() => setFeedback({}), [])
  return { feedback, ok, fail, clear }
}

export function Feedback({ feedback, fieldIds = {} }: { feedback: TFeedback; fieldIds?: Record<string, string> }) {
  const ref = useRef<HTMLDivElement>(null)
  useErrorTitle(!!feedback.error)
  useEffect(() => {
    if (feedback.success || feedback.error) ref.current?.focus()
  }, [feedback])
  if (feedback.error) {
    const target = feedback.field ? fieldIds[feedback.field] : undefined
    return (
      <ErrorSummary ref={ref} tabIndex={-1} disableAutoFocus>
        <ErrorSummaryTitle>There is a problem</ErrorSummaryTitle>
        <ErrorSummaryList>
          {target ? <ErrorSummaryListItem href={`#${target}`}>{feedback.error}</ErrorSummaryListItem> : <li>{feedback.error}</li>}
        </ErrorSummaryList>
      </ErrorSummary>
    )
  }
  if (feedback.success) {
    return (
      <div ref={ref} tabIndex={-1} role="status" className="nhsuk-inset-text" data-testid="slots-success">
        <p>{feedback.success}</p>
      </div>
    )
  }
  return null
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="nhsuk-body" role="status">
      Loading {what}…
    </p>
  )
}

export function LoadError({ error }: { error: unknown }) {
  const message = error instanceof ApiError ? error.message : 'The information could not be loaded. Check your connection and reload the page.'
  return (
    <div className="nhsuk-error-summary" role="alert">
      <h2 className="nhsuk-error-summary__title">There is a problem</h2>
      <div className="nhsuk-error-summary__body">
        <p>{message}</p>
      </div>
    </div>
  )
}
