import { ZSettingsInput } from '@/lib/admin/admin-schemas'
import { updateSettings } from '@/lib/admin/manage-settings'
import { apiRoute } from '@/lib/http/with-route'

export const dynamic = 'force-dynamic'

export const PUT = apiRoute({
  permission: 'admin:configure',
  body: ZSettingsInput,
  handler: async ({ body, user, ip, requestId }) => ({ settings: await updateSettings(body, { userId: user.id, ip, requestId }) }),
})
