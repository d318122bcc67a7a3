import { liveEventRepository } from '@/lib/live/live-event-repository'

/** The live-event cursor a page starts its subscription from (read before the page's data). */
export async function liveEventRepositoryCursor(): Promise<string> {
  return liveEventRepository.latestId()
}
