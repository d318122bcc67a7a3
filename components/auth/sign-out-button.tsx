'use client'

import { signOut } from 'next-auth/react'

export function SignOutButton() {
  return (
    <li className="nhsuk-header__account-item">
      <button type="button" className="nhsuk-header__account-button" onClick={() => void signOut({ callbackUrl: '/sign-in' })}>
        Sign out
      </button>
    </li>
  )
}
