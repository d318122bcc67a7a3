'use client'

import { signIn } from 'next-auth/react'
import { Button, ErrorSummary, ErrorSummaryList, ErrorSummaryListItem, ErrorSummaryTitle, TextInput } from 'nhsuk-react-components'
import { useRouter } from 'next/navigation'
import { useRef, useState } from 'react'

const MESSAGES: Record<string, string> = {
  CredentialsSignin: 'The email address or password is not right. Check them and try again.',
  AccountLocked: 'This account is locked after too many attempts. Try again in 15 minutes or ask an administrator.',
}

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const summaryRef = useRef<HTMLDivElement>(null)

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
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
      {error ? (
        <ErrorSummary ref={summaryRef} tabIndex={-1} id="sign-in-error">
          <ErrorSummaryTitle>There is a problem</ErrorSummaryTitle>
          <ErrorSummaryList>
            <ErrorSummaryListItem href="#email">{error}</ErrorSummaryListItem>
          </ErrorSummaryList>
        </ErrorSummary>
      ) : null}
      <TextInput id="email" name="email" type="email" label="Email address" autoComplete="username" spellCheck={false} required />
      <TextInput id="password" name="password" type="password" label="Password" autoComplete="current-password" required />
      <Button type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  )
}
