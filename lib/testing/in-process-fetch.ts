/**
 * A fetch that calls our /fhir route handlers in this process (no server): lets the conformance
 * suite (scripts/conformance.ts) run inside Vitest against a test database. Routes as Next serves
 * them, including the $process-message rewrite of next.config.js.
 */
import * as catchAll from '@/app/fhir/[...path]/route'
import * as appointmentById from '@/app/fhir/Appointment/[id]/route'
import * as appointments from '@/app/fhir/Appointment/route'
import * as messageDefinitions from '@/app/fhir/MessageDefinition/route'
import * as metadata from '@/app/fhir/metadata/route'
import * as processMessage from '@/app/fhir/process-message/route'
import * as serviceRequestById from '@/app/fhir/ServiceRequest/[id]/route'
import * as serviceRequests from '@/app/fhir/ServiceRequest/route'
import * as slots from '@/app/fhir/Slot/route'

type THandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>
type TModule = Record<string, unknown>

const ROUTES: [RegExp, TModule, string[]][] = [
  [/^\/fhir\/\$process-message$/, processMessage, []],
  [/^\/fhir\/metadata$/, metadata, []],
  [/^\/fhir\/MessageDefinition$/, messageDefinitions, []],
  [/^\/fhir\/ServiceRequest$/, serviceRequests, []],
  [/^\/fhir\/ServiceRequest\/([^/]+)$/, serviceRequestById, ['id']],
  [/^\/fhir\/Appointment$/, appointments, []],
  [/^\/fhir\/Appointment\/([^/]+)$/, appointmentById, ['id']],
  [/^\/fhir\/Slot$/, slots, []],
]

export const inProcessFetch: typeof fetch = async (input, init) => {
  const req = new Request(input, init)
  const path = new URL(req.url).pathname
  for (const [re, mod, names] of ROUTES) {
    const m = re.exec(path)
    if (!m) continue
    const params = Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]))
    return (mod[req.method] as THandler)(req, { params: Promise.resolve(params) })
  }
  return (catchAll[req.method as keyof typeof catchAll] as THandler)(req, { params: Promise.resolve({}) })
}
