import { listSlotServices } from '@/lib/slots/list-capacity'

/** The services the desk can manage and the one chosen (?service=…, else the first). */
export async function chooseService(requested: string | string[] | undefined) {
  const services = await listSlotServices()
  const id = typeof requested === 'string' ? requested : undefined
  const service = services.find((s) => s.id === id) ?? services[0] ?? null
  return { services, service }
}
