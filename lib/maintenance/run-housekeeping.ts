import { purgeExpiredAudit } from '@/lib/audit/audit-retention'
import { SESSION_ABSOLUTE_HOURS, SESSION_IDLE_MINUTES } from '@/lib/auth/session-limits'
import { liveEventRepository } from '@/lib/live/live-event-repository'
import { materialiseAllServices } from '@/lib/slots/materialise-slots'
import { lockRepository } from './lock-repository'
import { sessionRetentionRepository } from './session-retention-repository'

/** Advisory-lock key of the housekeeping job (any fixed number unique to this job). */
export const HOUSEKEEPING_LOCK = 0x6261_7273 // "bars"

/**
 * How long LiveEvent rows are kept. A browser resuming (Last-Event-ID) from before this is told to
 * reload (lib/live/stream-live-events.ts); open pages reconnect within seconds, so a day is ample.
 */
export const LIVE_EVENT_RETENTION_HOURS = 24

/**
 * The periodic jobs, run by the worker (hourly): keep every service's arrival windows generated
 * SLOT_HORIZON_DAYS ahead, delete audit rows past the retention, live events older than
 * LIVE_EVENT_RETENTION_HOURS and staff sessions that have ended. One instance at a time.
 */
export async function runHousekeeping(now = new Date()) {
  return lockRepository.runExclusively(HOUSEKEEPING_LOCK, async () => ({
    slots: await materialiseAllServices(now),
    audit: await purgeExpiredAudit(now),
    liveEvents: await liveEventRepository.deleteBefore(new Date(now.getTime() - LIVE_EVENT_RETENTION_HOURS * 3600_000)),
    sessions: await sessionRetentionRepository.deleteEnded(now, SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS),
  }))
}
