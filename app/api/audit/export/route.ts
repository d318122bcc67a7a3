import { exportAuditCsv } from '@/lib/audit/export-audit-csv'
import { ZAuditSearch } from '@/lib/audit/search-audit'
import { apiRoute } from '@/lib/http/with-route'

export const dynamic = 'force-dynamic'

// GET /api/audit/export?<the audit search filters> → CSV download.
export const GET = apiRoute({
  permission: 'audit:read',
  query: ZAuditSearch,
  handler: async ({ query, user, ip, requestId }) =>
    new Response(await exportAuditCsv(query, { userId: user.id, ip, requestId }), {
      headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="audit.csv"', 'cache-control': 'no-store' },
    }),
})
