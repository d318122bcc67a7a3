// Audit retention job: `npx tsx scripts/purge-audit.ts` (daily, from cron or the platform scheduler).
import { prisma } from '@/lib/db/prisma'
import { purgeExpiredAudit } from '@/lib/audit/audit-retention'

purgeExpiredAudit()
  .then(({ deleted, cutoff }) => {
    console.log(`Deleted ${deleted} audit rows older than ${cutoff.toISOString()}.`)
    return prisma().$disconnect()
  })
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e)
    process.exit(1)
  })
