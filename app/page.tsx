import { redirect } from 'next/navigation'
import { SignInScreen } from '@/components/auth/sign-in-screen'
import { currentUser } from '@/lib/auth/session'
import { signInOptions } from '@/lib/auth/sign-in-options'
import { homeScreenFor } from '@/lib/pharmacy/home-screen'
import { landingFor } from '@/lib/validations/landing'

export const dynamic = 'force-dynamic'

export default async function Home() {
  const user = await currentUser()
  if (user) redirect((await landingFor(user)) ?? (await homeScreenFor(user)))
  return <SignInScreen callbackUrl="/" {...signInOptions()} />
}
