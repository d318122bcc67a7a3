import { purgeExpiredAudit } from '@/lib/audit/audit-retention'
import { materialiseAllServices } from '@/lib/slots/materialise-slots'
import { lockRepository } from './lock-repository'

/** Advisory-lock key of the housekeeping job (any fixed number unique to this job). */
export const HOUSEKEEPING_LOCK = 0x6261_7273 // "bars"

/**
 * The periodic jobs, run by the worker (hourly): keep every service's arrival windows generated
 * SLOT_HORIZON_DAYS ahead, and delete audit rows past the retention. One instance at a time.
 */
export async function runHousekeeping(now = new Date()) {
  return lockRepository.runExclusively(HOUSEKEEPING_LOCK, async () => ({
    slots: await materialiseAllServices(now),
    audit: await purgeExpiredAudit(now),
  }))
}
