import { env } from '@/lib/env'
import { oidcConfigured, passwordSignInEnabled } from './auth-options'

/** What the sign-in page offers: the OIDC button (when configured) and/or the password form. */
export function signInOptions(): { oidc?: { name: string }; password: boolean } {
  const e = env()
  return { oidc: oidcConfigured(e) ? { name: e.OIDC_NAME } : undefined, password: passwordSignInEnabled(e) }
}
