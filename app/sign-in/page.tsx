import type { Metadata } from 'next'
import { SignInScreen } from '@/components/auth/sign-in-screen'
import { signInOptions } from '@/lib/auth/sign-in-options'

export const metadata: Metadata = { title: 'Sign in' }

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams
  const callbackUrl = params.callbackUrl?.startsWith('/') && !params.callbackUrl.startsWith('//') ? params.callbackUrl : '/'
  return <SignInScreen denied={params.denied === '1'} callbackUrl={callbackUrl} error={params.error} {...signInOptions()} />
}
