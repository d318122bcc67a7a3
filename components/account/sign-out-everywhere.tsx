'use client'

import { ActionButton } from '@/components/admin/action-button'

export function SignOutEverywhere() {
  return <ActionButton url="/api/me/sign-out-everywhere" label="Sign out on every device" secondary redirectTo="/sign-in" done={() => <p>You have been signed out everywhere.</p>} />
}
