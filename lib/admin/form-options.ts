import { USE_CASE_DISPLAYS } from '@/lib/bars/message-definitions'
import { listSenders } from './manage-senders'

/** Choices on the service form: the BaRS use cases and our sender systems. */
export async function serviceFormOptions() {
  const senders = await listSenders()
  return {
    useCases: Object.entries(USE_CASE_DISPLAYS)
      .filter(([code]) => code !== 'referraltopharmacy')
      .map(([value, label]) => ({ value, label: `${label} (${value})` })),
    senders: senders.map((s) => ({ value: s.id, label: `${s.name} (DoS ${s.dosServiceId})${s.active ? '' : ', inactive'}` })),
  }
}
