import type { Metadata } from 'next'
import { InsetText } from 'nhsuk-react-components'
import { SettingsForm } from '@/components/admin/settings-form'
import { PageShell } from '@/components/layout/page-shell'
import { getSettings } from '@/lib/admin/manage-settings'
import { requirePagePermission } from '@/lib/auth/session'

export const metadata: Metadata = { title: 'Settings' }
export const dynamic = 'force-dynamic'

export default async function SettingsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const user = await requirePagePermission('admin:configure')
  const [settings, params] = await Promise.all([getSettings(), searchParams])
  return (
    <PageShell user={user} current="/admin">
      <h1>Settings</h1>
      {params.saved ? (
        <InsetText>
          <p>Saved.</p>
        </InsetText>
      ) : null}
      <SettingsForm auditRetentionYears={settings.auditRetentionYears} />
    </PageShell>
  )
}
