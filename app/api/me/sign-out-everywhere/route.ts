import { signOutEverywhere } from '@/lib/auth/sign-out-everywhere'
import { apiRoute } from '@/lib/http/with-route'

export const dynamic = 'force-dynamic'

// Any signed-in user ends all their own sessions, on every device (this one included).
export const POST = apiRoute({
  permission: 'signed-in',
  handler: async ({ user, ip, requestId }) => signOutEverywhere(user.id, { userId: user.id, ip, requestId }),
})
