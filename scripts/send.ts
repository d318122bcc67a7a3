/**
 * Post a FHIR message to a running BaRS Inbox, with the BaRS headers, and print the answer.
 *   npm run send -- lib/bars/__fixtures__/examples/REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json
 * Options: --base-url URL (default http://localhost:3000/fhir), --target DOS_ID (default: the
 * message's destination), --fresh (new Bundle.id, no link to the example booking, a deadline an
 * hour from now: lets you send the example referral again and again).
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import type { Bundle } from '@medplum/fhirtypes'
import { dosIdFromEndpoint } from '@/lib/bars/identifiers'
import { freshReferral } from '@/lib/demo/demo-referrals'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { 'base-url': { type: 'string', default: 'http://localhost:3000/fhir' }, target: { type: 'string' }, fresh: { type: 'boolean', default: false } },
})
const file = positionals[0]
if (!file) {
  console.error('usage: npm run send -- <bundle.json> [--base-url URL] [--target DOS_ID] [--fresh]')
  process.exit(2)
}

let bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as Bundle
if (values.fresh) {
  if (!/REFREQ01/.test(file)) console.warn('--fresh rewrites the 111→ED referral example; other files are sent as they are.')
  else bundle = freshReferral({ now: new Date(), deadlineMinutes: 60 })
}
const header = bundle.entry?.[0]?.resource
const destination = header?.resourceType === 'MessageHeader' ? dosIdFromEndpoint(header.destination?.[0]?.endpoint) : undefined
const target = values.target ?? destination ?? '111111111'
const requestId = crypto.randomUUID()
const correlationId = crypto.randomUUID()

const res = await fetch(`${values['base-url']!.replace(/\/$/, '')}/$process-message`, {
  method: 'POST',
  headers: {
    'content-type': 'application/fhir+json',
    accept: 'application/fhir+json; version=1.0.0',
    'x-request-id': requestId,
    'x-correlation-id': correlationId,
    'nhsd-target-identifier': Buffer.from(JSON.stringify({ system: 'https://fhir.nhs.uk/Id/dos-service-id', value: target })).toString('base64'),
    'nhsd-end-user-organisation': Buffer.from(JSON.stringify({ resourceType: 'Organization', identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'X26' }], name: 'NHS 111 (demo)' })).toString('base64'),
    'nhsd-requesting-software': Buffer.from(JSON.stringify({ resourceType: 'Device', identifier: [{ system: 'https://fhir.nhs.uk/Id/product-id', value: 'bars-inbox-send' }], deviceName: [{ name: 'npm run send', type: 'manufacturer-name' }], version: [{ value: '1' }] })).toString('base64'),
  },
  body: JSON.stringify(bundle),
})
const body = (await res.json().catch(() => null)) as Record<string, unknown> | null
console.log(`HTTP ${res.status}  X-Request-Id ${requestId}  X-Correlation-Id ${correlationId}`)
if (body?.resourceType === 'OperationOutcome') {
  const issue = (body.issue as { code: string; diagnostics?: string; details?: { coding?: { code?: string }[] } }[])[0]
  console.log(`${issue?.details?.coding?.[0]?.code ?? ''} (${issue?.code}): ${issue?.diagnostics ?? ''}`)
} else if (body?.resourceType === 'Bundle') {
  const entries = (body.entry as { resource: { resourceType: string; id?: string; status?: string; identifier?: { value?: string }[] } }[]) ?? []
  const planned = entries.find((e) => e.resource.resourceType === 'Encounter' && e.resource.status === 'planned')
  console.log(`Bundle ${String(body.id)} with ${entries.length} entries${planned ? `; case reference ${planned.resource.identifier?.[0]?.value}` : ''}`)
}
process.exit(res.ok ? 0 : 1)
