import { redirect } from 'next/navigation'
import { SignInScreen } from '@/components/auth/sign-in-screen'
import { currentUser } from '@/lib/auth/session'
import { homeFor } from '@/lib/auth/permissions'
import { signInOptions } from '@/lib/auth/sign-in-options'

export const dynamic = 'force-dynamic'

export default async function Home() {
  const user = await currentUser()
  if (user) redirect(homeFor(user.roles))
  return <SignInScreen callbackUrl="/" {...signInOptions()} />
}
