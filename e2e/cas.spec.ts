import { expect, test, type APIRequestContext, type Page } from '@playwright/test'
import type { ChildProcess } from 'node:child_process'
import { freshenCasMessage } from '../lib/demo/fresh-cas-message'
import { receivedFor, startSimulator, startWorker, stop, useSimulatorForResponses, type TReceived } from './inbox-helpers'
import { expectNoAxeViolations, fixture, signIn, targetHeader } from './support'

// App 3/4 at the demo CAS (555555555): the validation queue, start → interim accept, complete with a
// C2 upgrade → full response, reject → interim reject, updates and cancellations live.
// Each test is a whole clinical round trip (several pages, the outbox worker, the simulator): give it room on a loaded machine.
test.describe.configure({ mode: 'serial', timeout: 150_000 })

const CAS_USER = 'cas@demo.nhs.uk'
const EXAMPLES = {
  VALREQ01: 'VALREQ01_Validation_Service_Request_New_Full_999_to_CAS.json',
  VALREQ02: 'VALREQ02_Validation_Service_Request_Update_Full_999_to_CAS_Lower_Priority.json',
  VALREQ03: 'VALREQ03_Validation_Service_Request_New_Full_AMPDS_999_to_CAS.json',
  SERVREQ02: 'SERVREQ02_Service_Request_Delete_Entered_in_error.json',
  REFREQ02: 'REFREQ02_Referral_Service_Request_New_Full_999_to_CAS.json',
} as const

let sim: ChildProcess | null = null
let worker: ChildProcess | null = null

test.beforeAll(async () => {
  await useSimulatorForResponses()
  sim = await startSimulator()
  worker = await startWorker()
})

test.afterAll(async () => {
  await stop(worker)
  await stop(sim)
})

async function send(request: APIRequestContext, name: keyof typeof EXAMPLES, o: { correlationId?: string; breachMinutes?: number; family?: string } = {}) {
  const bundle = freshenCasMessage(fixture(EXAMPLES[name]), { now: new Date(), breachMinutes: o.breachMinutes, family: o.family, given: o.family ? 'Test' : undefined })
  const correlationId = o.correlationId ?? crypto.randomUUID()
  const res = await request.post('/fhir/$process-message', {
    data: JSON.stringify(bundle),
    headers: {
      'content-type': 'application/fhir+json',
      accept: 'application/fhir+json; version=1.0.0',
      'x-request-id': crypto.randomUUID(),
      'x-correlation-id': correlationId,
      'nhsd-target-identifier': targetHeader('555555555'),
    },
  })
  expect(res.status()).toBe(200)
  const reply = await res.json()
  const planned = reply.entry.map((e: any) => e.resource).find((r: any) => r.resourceType === 'Encounter' && r.status === 'planned')
  return { correlationId, bundleId: bundle.id as string, plannedId: planned?.id as string | undefined, caseReference: planned?.identifier?.[0]?.value as string | undefined }
}

async function openQueue(page: Page) {
  await signIn(page, CAS_USER)
  await expect(page).toHaveURL(/\/validations$/)
  await expect(page.getByTestId('live-status')).toContainText('Updates automatically')
}

const resources = (m: TReceived, type: string) => m.body.entry.map((e: any) => e.resource).filter((r: any) => r.resourceType === type)
const headerOf = (m: TReceived) => m.body.entry[0].resource
const rows = (page: Page) => page.getByTestId('queue-row')

test('a validation request appears in the open CAS queue; start → one interim accept; complete with a C2 upgrade → full response with the CAD Encounter', async ({ page, request }) => {
  await openQueue(page)
  const sent = await send(request, 'VALREQ01', { breachMinutes: 20, family: 'Queueone' })
  const row = rows(page).filter({ hasText: sent.caseReference! })
  await expect(row).toBeVisible()
  await expect(row.getByTestId('arp')).toContainText('C3')
  await expectNoAxeViolations(page)

  await row.getByRole('link').focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('validation-state')).toHaveText('Waiting')
  await expect(page.getByTestId('incident-location')).toContainText('20 The Headrow')
  await expectNoAxeViolations(page)

  await page.getByRole('button', { name: 'Start consultation' }).click()
  await expect(page.getByTestId('action-status')).toContainText('Consultation started')
  await expect(page.getByTestId('validation-state')).toHaveText('In progress')
  const [interim] = await receivedFor(sent.correlationId, 1)
  expect(interim!.headers['x-correlation-id']).toBe(sent.correlationId)
  expect(headerOf(interim!).definition).toBe('https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-validation-interim')
  expect(headerOf(interim!).response.identifier).toBe(sent.bundleId)
  expect(headerOf(interim!).focus[0].reference).toBe(`urn:uuid:${sent.plannedId}`)
  expect(resources(interim!, 'Encounter').find((e: any) => e.id === sent.plannedId).status).toBe('in-progress')
  expect(interim!.headers['use-context']).toBe('a4t1|validation|servicerequest-response|new')
  // The simulator (a 999 requester) checked it against the national interim MessageDefinition.
  expect(interim!.conformance).toBe('conformant')

  await page.getByRole('button', { name: 'Complete validation' }).click()
  await page.getByLabel('Yes: dispatch required').check()
  await page.getByLabel(/Validated ARP category/).selectOption('C2')
  await page.getByLabel('Consultation summary').fill('Chest pain now with breathlessness: upgraded.')
  await expect(page.getByText('existing ITK route (outside BaRS)')).toBeVisible()
  await page.getByLabel(/CAD reference of the new ambulance request/).fill('S2201240528')
  await page.getByLabel(/consented to share this information/).check()
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Send full response to the 999 service' }).click()
  await expect(page.getByTestId('action-status')).toContainText('Validation complete')
  await expect(page.getByTestId('validation-state')).toHaveText('Completed')

  const both = await receivedFor(sent.correlationId, 2)
  const full = both.find((m) => headerOf(m).definition.endsWith('response-validation-full'))!
  expect(both.filter((m) => headerOf(m).definition.endsWith('response-validation-interim'))).toHaveLength(1)
  expect(full.headers['x-request-id']).not.toBe(interim!.headers['x-request-id'])
  expect(headerOf(full).reason.coding[0].code).toBe('update')
  expect(full.conformance).toBe('conformant')
  const carePlan = resources(full, 'CarePlan')[0]
  expect(carePlan.status).toBe('active')
  expect(carePlan.activity[0].outcomeCodeableConcept.flatMap((c: any) => c.coding ?? []).map((c: any) => c.code)).toContain('C2')
  const encounters = resources(full, 'Encounter')
  expect(encounters).toHaveLength(3)
  expect(encounters.some((e: any) => e.identifier?.[0]?.value === 'S2201240528')).toBe(true)
  await expect(page.getByTestId('responses')).toContainText('Full validation response: Delivered')
})

test('another case rejected with failed contact → interim reject with our Encounter cancelled', async ({ page, request }) => {
  await openQueue(page)
  const sent = await send(request, 'VALREQ03', { breachMinutes: 30, family: 'Rejectme' })
  const row = rows(page).filter({ hasText: sent.caseReference! })
  await row.getByRole('link').click()
  await page.getByRole('button', { name: 'Cannot validate' }).click()
  await page.getByLabel('Failed contact').check()
  await page.getByLabel('What the 999 service needs to know').fill('We were unable to contact the patient')
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Send rejection to the 999 service' }).click()
  await expect(page.getByTestId('validation-state')).toHaveText('Rejected')
  const [m] = await receivedFor(sent.correlationId, 1)
  const ours = resources(m!, 'Encounter').find((e: any) => e.id === sent.plannedId)
  expect(ours.status).toBe('cancelled')
  expect(ours.reasonCode[0].coding[0].code).toBe('FC')
  expect(m!.conformance).toBe('conformant')
})

test('VALREQ02 re-orders the open queue live; SERVREQ02 cancels a case and alerts the clinician who has it open', async ({ page, request, browser }) => {
  await openQueue(page)
  const a = await send(request, 'VALREQ01', { breachMinutes: 6, family: 'Earlier' })
  const b = await send(request, 'VALREQ01', { breachMinutes: 12, family: 'Later' })
  const order = async () => (await rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-case')))).filter((c) => c === a.caseReference || c === b.caseReference)
  await expect.poll(order).toEqual([a.caseReference, b.caseReference])
  await send(request, 'VALREQ02', { correlationId: a.correlationId, breachMinutes: 45 })
  await expect.poll(order).toEqual([b.caseReference, a.caseReference])
  await expect(rows(page).filter({ hasText: a.caseReference! })).toContainText('Updated by 999')

  // A second clinician has case b open when the 999 service cancels it.
  const otherContext = await browser.newContext()
  const other = await otherContext.newPage()
  await signIn(other, CAS_USER)
  await expect(other).toHaveURL(/\/validations$/)
  await rows(other).filter({ hasText: b.caseReference! }).getByRole('link').click()
  await expect(other.getByTestId('validation-state')).toHaveText('Waiting')
  await send(request, 'SERVREQ02', { correlationId: b.correlationId })
  await expect(other.getByTestId('cancelled-alert')).toBeVisible()
  await expect(other.getByRole('button', { name: 'Start consultation' })).toHaveCount(0)
  await expectNoAxeViolations(other)
  await expect(rows(page).filter({ hasText: b.caseReference! })).toHaveCount(0)
  await otherContext.close()
})

test('a 999 → CAS referral (REFREQ02) is listed by call-back time and shows its 999 content, scene safety unknown', async ({ page, request }) => {
  const sent = await send(request, 'REFREQ02', { breachMinutes: 20, family: 'Callback' })
  await openQueue(page)
  const item = page.getByTestId('cas-referrals').getByRole('listitem').filter({ hasText: sent.caseReference! })
  await expect(item).toContainText('call back by')
  await item.getByRole('link').click()
  await expect(page.getByRole('heading', { level: 1 })).toContainText(sent.caseReference!)
  await expect(page.getByText('Unknown (not sent)').first()).toBeVisible()
  await expect(page.getByText('Dx335').first()).toBeVisible()
  await expect(page.getByTestId('incident-location')).toBeVisible()
  await expectNoAxeViolations(page)
})
