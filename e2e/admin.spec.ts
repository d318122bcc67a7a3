import { expect, test, type Browser, type Page } from '@playwright/test'
import { expectNoAxeViolations, fixture, postMessage, signIn, targetHeader, USERS } from './support'

/** The real 111→ED example as a new message: its own Bundle.id, no link to the example booking. */
function freshReferral(): any {
  const bundle = fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json') as any
  bundle.id = crypto.randomUUID()
  for (const e of bundle.entry) {
    if (e.resource.resourceType === 'ServiceRequest') e.resource.supportingInfo = e.resource.supportingInfo?.filter((s: any) => !s.reference?.startsWith('Appointment/'))
  }
  return bundle
}

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext()
  const page = await context.newPage()
  await signIn(page, email)
  await expect(page).not.toHaveURL(/sign-in/)
  return page
}

const nav = (page: Page) => page.locator('.nhsuk-header__navigation-list a')

test('each role signs in and sees only its screens', async ({ browser }) => {
  const clinician = await as(browser, USERS.clinician)
  await expect(clinician).toHaveURL(/\/inbox/)
  await expect(nav(clinician)).toHaveText(['Inbox'])
  await clinician.goto('/admin')
  await expect(clinician).toHaveURL(/\/no-access$/)
  await expect(clinician.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page')
  await expect(clinician).toHaveTitle('You do not have access to this page – BaRS Inbox')

  const reception = await as(browser, USERS.receptionist)
  await expect(reception).toHaveURL(/\/inbox/)
  await expect(nav(reception)).toHaveText(['Inbox', 'Slots and bookings'])
  await reception.goto('/admin/users')
  await expect(reception).toHaveURL(/\/no-access$/)

  const admin = await as(browser, USERS.admin)
  await expect(admin).toHaveURL(/\/admin$/)
  await expect(nav(admin)).toHaveText(['Admin'])
  await expect(admin.getByRole('link', { name: 'Staff users' })).toBeVisible()
  await expect(admin.getByRole('link', { name: 'Audit' })).toBeVisible()
  await expectNoAxeViolations(admin)
  await admin.goto('/inbox')
  await expect(admin).toHaveURL(/\/no-access$/)
  await expectNoAxeViolations(admin)
})

test('an admin adds a service and the FHIR API serves it at once, with no restart', async ({ browser, request }) => {
  const dosId = String(7000000 + Math.floor(Math.random() * 99999))
  const admin = await as(browser, USERS.admin)
  await admin.goto('/admin/services/new')
  await expectNoAxeViolations(admin)
  // A mistake is explained beside the field.
  await admin.getByRole('button', { name: 'Add service' }).click()
  await expect(admin.getByTestId('form-errors')).toBeFocused()
  await expect(admin.getByTestId('form-errors')).toContainText('Enter a name')
  await expect(admin).toHaveTitle(/^Error: /)
  // The 400 the server answers the empty form with is logged by the browser; it is the point of the step.
  await expectNoAxeViolations(admin, { allowConsole: [/status of 400/] })

  await admin.getByLabel('Service name').fill('Urgent Treatment Centre (e2e)')
  await admin.getByLabel('DoS service id').fill(dosId)
  await admin.getByLabel('ODS code').fill('rxx09')
  await admin.getByLabel('111 to ED (a1t1)').check()
  await admin.getByRole('button', { name: 'Add service' }).click()
  await expect(admin).toHaveURL(/\/admin\/services\?saved=1/)
  const row = admin.getByTestId('service-row').filter({ hasText: dosId })
  await expect(row).toContainText('Urgent Treatment Centre (e2e)')
  await expect(row).toContainText('RXX09')
  await expectNoAxeViolations(admin)

  // The real 111→ED referral, addressed to the new service, is accepted straight away.
  const bundle = freshReferral() as any
  const header = bundle.entry.find((e: any) => e.resource.resourceType === 'MessageHeader').resource
  header.destination[0].endpoint = `https://fhir.nhs.uk/Id/dos-service-id|${dosId}`
  const res = await request.post('/fhir/$process-message', {
    data: JSON.stringify(bundle),
    headers: {
      'content-type': 'application/fhir+json',
      accept: 'application/fhir+json; version=1.0.0',
      'x-request-id': crypto.randomUUID(),
      'x-correlation-id': crypto.randomUUID(),
      'nhsd-target-identifier': targetHeader(dosId),
    },
  })
  expect(res.status(), await res.text()).toBe(200)

  // GET /fhir/metadata and /fhir/MessageDefinition follow the configuration at once.
  const ids = { 'x-request-id': crypto.randomUUID(), 'x-correlation-id': crypto.randomUUID(), accept: 'application/fhir+json' }
  const metadata = await (await request.get('/fhir/metadata', { headers: ids })).json()
  expect(metadata.messaging.map((m: any) => m.documentation).join('\n')).toContain(`DoS service id ${dosId}`)
  const forService = await request.get('/fhir/metadata', { headers: { ...ids, 'x-request-id': crypto.randomUUID(), 'nhsd-target-identifier': targetHeader(dosId) } })
  expect(forService.status()).toBe(200)
  const definitions = await request.get(`/fhir/MessageDefinition?context=${encodeURIComponent(`https://fhir.nhs.uk/Id/dos-service-id|${dosId}`)}`, {
    headers: { ...ids, 'x-request-id': crypto.randomUUID(), 'nhsd-target-identifier': targetHeader(dosId) },
  })
  expect(definitions.status()).toBe(200)
  expect((await definitions.json()).total).toBeGreaterThan(0)
})

test('viewing a referral creates exactly one audit row naming the user and the patient', async ({ browser, request }) => {
  const res = await postMessage(request, freshReferral())
  expect(res.status(), await res.text()).toBe(200)
  const caseReference: string = (await res.json()).entry.at(-1).resource.identifier[0].value

  const clinician = await as(browser, USERS.clinician)
  await clinician.getByTestId('inbox-row').filter({ hasText: caseReference }).getByRole('link').first().click()
  await expect(clinician.getByRole('heading', { level: 1 })).toContainText('Julie JONES')

  const admin = await as(browser, USERS.admin)
  await admin.goto('/admin/audit')
  await admin.getByLabel('Case reference').fill(caseReference)
  await admin.getByLabel('Action starts with').fill('referral.view')
  await admin.getByRole('button', { name: 'Search' }).click()
  const rows = admin.getByTestId('audit-row')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('Dr Alex Clinician')
  await expect(rows.first()).toContainText('Viewed referral')
  await expect(rows.first()).toContainText('347 852 6985')
  await expect(rows.first()).toContainText(caseReference)
  await expectNoAxeViolations(admin)

  const csv = await admin.request.get(`/api/audit/export?caseReference=${caseReference}&action=referral.view`)
  expect(csv.status()).toBe(200)
  expect((await csv.text()).trim().split('\r\n')).toHaveLength(2)
})

test('an admin issues a sender bearer token: shown once, and it authenticates on /fhir', async ({ browser, request }) => {
  const admin = await as(browser, USERS.admin)
  await admin.goto('/admin/senders')
  await admin.getByTestId('sender-row').first().getByRole('link').click()
  await expectNoAxeViolations(admin)
  admin.on('dialog', (d) => void d.accept())
  await admin.getByRole('button', { name: /bearer token/ }).click()
  const token = (await admin.getByTestId('new-bearer-token').innerText()).trim()
  expect(token.length).toBeGreaterThanOrEqual(40)
  const call = (auth: string) =>
    request.post('/fhir/$process-message', {
      data: '{}',
      headers: { authorization: auth, 'content-type': 'application/fhir+json', accept: 'application/fhir+json; version=1.0.0', 'x-request-id': crypto.randomUUID(), 'x-correlation-id': crypto.randomUUID(), 'nhsd-target-identifier': targetHeader() },
    })
  const wrong = await call('Bearer not-the-right-token-0000000000')
  expect(wrong.status()).toBe(401)
  expect((await wrong.json()).issue[0].details.coding[0].code).toBe('REC_UNAUTHORIZED')
  // The right token gets past authentication (the empty bundle is then refused as a bad request).
  expect((await call(`Bearer ${token}`)).status()).toBe(400)
  await admin.reload()
  await expect(admin.getByTestId('new-bearer-token')).toHaveCount(0)
})

test('an admin manages a user: adds one with two roles, who sees both roles’ screens, then signs them out everywhere', async ({ browser }) => {
  const email = `e2e.${Date.now()}@demo.nhs.uk`
  const admin = await as(browser, USERS.admin)
  await admin.goto('/admin/users/new')
  await admin.getByLabel('Full name').fill('Casey Both')
  await admin.getByLabel('Email address').fill(email)
  await admin.getByLabel('Clinician: triage referrals').check()
  await admin.getByLabel('Receptionist: slots and bookings').check()
  await admin.getByLabel('First password').fill('Another-password-1')
  await admin.getByRole('button', { name: 'Add user' }).click()
  await expect(admin).toHaveURL(/\/admin\/users\?saved=1/)
  await expectNoAxeViolations(admin)

  const context = await browser.newContext()
  const casey = await context.newPage()
  await casey.goto('/sign-in')
  await casey.getByLabel('Email address').fill(email)
  await casey.getByLabel('Password').fill('Another-password-1')
  await casey.getByRole('button', { name: 'Sign in' }).click()
  await expect(casey).toHaveURL(/\/inbox/)
  await expect(nav(casey)).toHaveText(['Inbox', 'Slots and bookings'])

  await admin.getByTestId('user-row').filter({ hasText: email }).getByRole('link').click()
  await expectNoAxeViolations(admin)
  await admin.getByRole('button', { name: 'Sign this user out everywhere' }).click()
  await expect(admin.getByText(/1 session ended|sessions ended/)).toBeVisible()
  await casey.goto('/inbox')
  await expect(casey).toHaveURL(/\/sign-in/)
})

test('a user signs themself out on every device from their account page', async ({ browser }) => {
  const first = await as(browser, USERS.receptionist)
  const second = await as(browser, USERS.receptionist)
  await second.goto('/account')
  await expect(second.getByRole('heading', { name: 'Your account' })).toBeVisible()
  await expectNoAxeViolations(second)
  await second.getByRole('button', { name: 'Sign out on every device' }).click()
  await expect(second).toHaveURL(/\/sign-in/)
  await first.goto('/inbox')
  await expect(first).toHaveURL(/\/sign-in/)
})
