'use client'

import { signIn } from 'next-auth/react'
import { Button, ErrorSummary, ErrorSummaryList, ErrorSummaryListItem, ErrorSummaryTitle, TextInput } from 'nhsuk-react-components'
import { useRouter } from 'next/navigation'
import { useRef, useState } from 'react'
import { useErrorTitle } from '@/components/layout/use-error-title'

const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'The email address or password is not right. Check them and try again.',
  AccountLocked: 'This account is locked after too many attempts. Try again in 15 minutes or ask an administrator.',
}

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({})
  const [busy, setBusy] = useState(false)
  const summaryRef = useRef<HTMLDivElement>(null)
  useErrorTitle(error !== null || !!(missing.email || missing.password))

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    // Empty fields are named, beside the field, before anything is sent (issue 11, finding 18).
    const empty = {
      email: String(form.get('email') ?? '').trim() ? undefined : 'Enter your email address',
      password: String(form.get('password') ?? '') ? undefined : 'Enter your password',
    }
    setMissing(empty)
    if (empty.email || empty.password) {
      setError(null)
      requestAnimationFrame(() => summaryRef.current?.focus())
      return
    }
    setBusy(true)
    setError(null)
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    })
    setBusy(false)
    if (result?.ok && !result.error) {
      router.replace(callbackUrl)
      router.refresh()
      return
    }
    setError(MESSAGES[result?.error ?? ''] ?? MESSAGES.CredentialsSignin!)
    requestAnimationFrame(() => summaryRef.current?.focus())
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={error ? 'sign-in-error' : undefined}>
      {error || missing.email || missing.password ? (
        <ErrorSummary ref={summaryRef} tabIndex={-1} id="sign-in-error">
          <ErrorSummaryTitle>There is a problem</ErrorSummaryTitle>
          <ErrorSummaryList>
            {error ? <ErrorSummaryListItem href="#email">{error}</ErrorSummaryListItem> : null}
            {missing.email ? <ErrorSummaryListItem href="#email">{missing.email}</ErrorSummaryListItem> : null}
            {missing.password ? <ErrorSummaryListItem href="#password">{missing.password}</ErrorSummaryListItem> : null}
          </ErrorSummaryList>
        </ErrorSummary>
      ) : null}
      <TextInput id="email" name="email" type="email" label="Email address" autoComplete="username" spellCheck={false} required error={missing.email} />
      <TextInput id="password" name="password" type="password" label="Password" autoComplete="current-password" required error={missing.password} />
      <Button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  )
}
