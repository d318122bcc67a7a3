import type { Metadata } from 'next'
import Link from 'next/link'
import { Button, ErrorSummary, ErrorSummaryList, ErrorSummaryListItem, ErrorSummaryTitle, Select, SelectOption, TextInput } from 'nhsuk-react-components'
import { AuditTable } from '@/components/audit/audit-table'
import { PageShell } from '@/components/layout/page-shell'
import { searchAudit, ZAuditSearch } from '@/lib/audit/search-audit'
import { requirePagePermission } from '@/lib/auth/session'
import { pageClientAddress } from '@/lib/http/page-helpers'

export const metadata: Metadata = { title: 'Audit' }
export const dynamic = 'force-dynamic'

const FIELDS = ['from', 'to', 'user', 'nhsNumber', 'caseReference', 'action', 'outcome', 'transactionId'] as const

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePagePermission('audit:read')
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]))
  const parsed = ZAuditSearch.safeParse(raw)
  const errors = parsed.success ? {} : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message]))
  const result = parsed.success ? await searchAudit(parsed.data, { userId: user.id, ip: await pageClientAddress() }) : null
  const query = new URLSearchParams(Object.entries(raw).filter((e): e is [string, string] => Boolean(e[1]) && e[0] !== 'before' && (FIELDS as readonly string[]).includes(e[0])))
  const value = (k: (typeof FIELDS)[number]) => raw[k] ?? ''
  return (
    <PageShell user={user} current="/admin">
      <h1>Audit</h1>
      {!parsed.success ? (
        <ErrorSummary>
          <ErrorSummaryTitle>There is a problem</ErrorSummaryTitle>
          <ErrorSummaryList>
            {Object.entries(errors).map(([field, message]) => (
              <ErrorSummaryListItem key={field} href={`#${field}`}>
                {message}
              </ErrorSummaryListItem>
            ))}
          </ErrorSummaryList>
        </ErrorSummary>
      ) : null}
      <form method="get" action="/admin/audit" noValidate>
        <div className="grid gap-x-6 md:grid-cols-2">
          <TextInput id="from" name="from" label="From (date)" hint="For example, 2026-11-28" defaultValue={value('from')} error={errors.from} width={10} />
          <TextInput id="to" name="to" label="To (date, inclusive)" defaultValue={value('to')} error={errors.to} width={10} />
          <TextInput id="user" name="user" label="Staff user (name or email)" defaultValue={value('user')} error={errors.user} />
          <TextInput id="nhsNumber" name="nhsNumber" label="Patient NHS number" defaultValue={value('nhsNumber')} error={errors.nhsNumber} width={10} inputMode="numeric" />
          <TextInput id="caseReference" name="caseReference" label="Case reference" hint="For example, ED-000123" defaultValue={value('caseReference')} error={errors.caseReference} width={10} />
          <TextInput id="action" name="action" label="Action starts with" hint="For example, referral.view, auth., fhir.POST" defaultValue={value('action')} error={errors.action} />
          <Select id="outcome" name="outcome" label="Outcome" defaultValue={value('outcome')}>
            <SelectOption value="">Any</SelectOption>
            <SelectOption value="success">Success</SelectOption>
            <SelectOption value="failure">Failed</SelectOption>
          </Select>
          <TextInput id="transactionId" name="transactionId" label="X-Request-Id or X-Correlation-Id" defaultValue={value('transactionId')} error={errors.transactionId} />
        </div>
        <Button type="submit">Search</Button>
      </form>
      {result ? (
        <>
          <p>
            <a href={`/api/audit/export?${query.toString()}`} download>
              Export these results (CSV)
            </a>
          </p>
          {result.entries.length === 0 ? (
            <p data-testid="audit-empty">No audit records match.</p>
          ) : (
            <AuditTable entries={result.entries} caption="Audit records, newest first" />
          )}
          {result.nextBefore ? (
            <p>
              <Link href={`/admin/audit?${new URLSearchParams([...query.entries(), ['before', result.nextBefore]]).toString()}`}>Older records</Link>
            </p>
          ) : null}
        </>
      ) : null}
    </PageShell>
  )
}
