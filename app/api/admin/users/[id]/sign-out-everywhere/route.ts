import { signOutEverywhere } from '@/lib/auth/sign-out-everywhere'
import { apiRoute } from '@/lib/http/with-route'

export const dynamic = 'force-dynamic'

// An admin ends every session of a user (lost smartcard, leaver, suspected misuse).
export const POST = apiRoute({
  permission: 'admin:users',
  handler: async ({ params, user, ip, requestId }) => signOutEverywhere(params.id!, { userId: user.id, ip, requestId }),
})
