'use client'

import { signIn } from 'next-auth/react'
import { Button } from 'nhsuk-react-components'

export function OidcSignInButton({ label, callbackUrl }: { label: string; callbackUrl: string }) {
  return (
    <Button type="button" onClick={() => void signIn('oidc', { callbackUrl })}>
      {label}
    </Button>
  )
}
