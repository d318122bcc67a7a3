/**
 * The receptionist's screens, driven from the keyboard only (Enter on links and buttons, typing in
 * fields, arrow-key choices in selects): templates, the day and week board, blocking a window, booking,
 * arrival / did not attend, moving and cancelling.
 */
import { expect, test, type Page } from '@playwright/test'
import { expectNoAxeViolations, fixture, postMessage, signIn, targetHeader, USERS } from './support'

// Long keyboard journeys, each screen checked by axe as is and at 320 px: allow for a loaded machine.
test.describe.configure({ timeout: 300_000 })

const londonToday = () => new Date().toLocaleDateString('en-CA', { timeZone: 'Europe/London' })
const addDays = (date: string, n: number) => {
  const d = new Date(`${date}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}
const tomorrow = addDays(londonToday(), 1)
/** A responsive NHS table cell also holds its column name for small screens: match the value at the end. */
const value = (v: number | string) => new RegExp(`(^|\\s)${v}$`)

async function openBoardTomorrow(page: Page) {
  await page.getByRole('link', { name: 'Slots and bookings' }).press('Enter')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Arrival windows')
  await page.getByRole('link', { name: 'Next day' }).press('Enter')
  await expect(page).toHaveURL(new RegExp(`date=${tomorrow}`))
  await expect(page.getByTestId('board-window').first()).toBeVisible()
}

async function openWindow(page: Page, label: string) {
  await page.getByTestId('board-window').filter({ hasText: label }).getByRole('link', { name: label }).press('Enter')
  await expect(page.getByRole('heading', { level: 1 })).toContainText(label)
}

/** London wall clock (minutes) tomorrow → "+00:00"-style instant for GET /Slot. */
function tomorrowAt(hh: number, mm = 0): string {
  for (const offset of [1, 0]) {
    const d = new Date(Date.UTC(Number(tomorrow.slice(0, 4)), Number(tomorrow.slice(5, 7)) - 1, Number(tomorrow.slice(8, 10)), hh - offset, mm))
    const wall = d.toLocaleTimeString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    if (wall === `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`) return d.toISOString()
  }
  throw new Error('no such London time')
}

test('the slots screens need a receptionist: a clinician is turned away and the JSON API answers 401 without a session', async ({ page, request }) => {
  expect((await request.get('/api/slots/board')).status()).toBe(401)
  await signIn(page, USERS.clinician)
  await expect(page).toHaveURL(/\/inbox/)
  await page.goto('/slots')
  await expect(page).toHaveURL(/\/no-access$/)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('You do not have access to this page')
})

test('a receptionist creates a template, sees its windows, blocks one, and GET /fhir/Slot stops offering it', async ({ page, request }) => {
  await signIn(page, USERS.receptionist)
  await expect(page).toHaveURL(/\/inbox/)
  // Tomorrow's board: today's may have no windows left (windows that have ended are never made, and
  // the demo day's last one ends before midnight), so a run late in the evening found none.
  await openBoardTomorrow(page)
  await expectNoAxeViolations(page)

  await page.getByRole('navigation', { name: 'Slots and bookings' }).getByRole('link', { name: 'Templates' }).press('Enter')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Templates')
  await expect(page.getByTestId('template-row')).toHaveCount(1)
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Add a template' }).press('Enter')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Add a template')
  // Every day is ticked by default; untick and re-tick Sunday with the space bar.
  const sunday = page.getByRole('checkbox', { name: 'Sunday' })
  await sunday.press('Space')
  await expect(sunday).not.toBeChecked()
  await sunday.press('Space')
  await expect(sunday).toBeChecked()
  await page.getByLabel('Opens at').fill('22:00')
  await page.getByLabel('Last window ends at').fill('23:00')
  await page.getByLabel('Window length').focus()
  await page.getByLabel('Window length').selectOption('30')
  await page.getByLabel('Places in each window').fill('2')
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Save template' }).press('Enter')
  await expect(page.getByTestId('slots-success')).toContainText('Template saved')
  await expect(page.getByTestId('template-row')).toHaveCount(2)
  await expect(page.getByTestId('template-row').filter({ hasText: '22:00 to 23:00' })).toContainText('Every day')

  await page.getByRole('link', { name: 'Arrival windows' }).press('Enter')
  await page.getByRole('link', { name: 'Next day' }).press('Enter')
  await expect(page).toHaveURL(new RegExp(`date=${tomorrow}`))
  const late = page.getByTestId('board-window').filter({ hasText: '22:30 to 23:00' })
  await expect(late).toContainText('Free')
  await expect(late.getByRole('cell').nth(1)).toHaveText(value(2))
  await expect(page.getByTestId('board-window')).toHaveCount(30)
  await expectNoAxeViolations(page)

  await openWindow(page, '22:30 to 23:00')
  await expectNoAxeViolations(page)
  await page.getByLabel('Reason for blocking').fill('Staff training')
  await page.getByRole('button', { name: 'Block this window' }).press('Enter')
  await expect(page.getByTestId('slots-success')).toContainText('Window blocked')
  await expect(page.getByText('Staff training')).toBeVisible()

  const query = new URLSearchParams([
    ['status', 'free,busy'],
    ['start', `ge${tomorrowAt(22)}`],
    ['start', `le${tomorrowAt(22, 30)}`],
    ['Schedule.actor:HealthcareService', '111111111'],
    ['_include', 'Slot:schedule'],
    ['_include', 'Schedule:actor:HealthcareService'],
  ])
  const res = await request.get(`/fhir/Slot?${query}`, {
    headers: { accept: 'application/fhir+json; version=1.0.0', 'x-request-id': crypto.randomUUID(), 'x-correlation-id': crypto.randomUUID(), 'nhsd-target-identifier': targetHeader() },
  })
  expect(res.status()).toBe(200)
  expect(res.headers()['cache-control']).toBe('no-store')
  const bundle = await res.json()
  const starts = bundle.entry.filter((e: any) => e.resource.resourceType === 'Slot').map((e: any) => e.resource.start)
  expect(starts).toEqual([tomorrowAt(22).replace('Z', '+00:00')]) // 22:00 offered, the blocked 22:30 not

  // The week view, from the keyboard too.
  await page.getByRole('link', { name: /^Back to / }).press('Enter')
  await page.getByRole('link', { name: 'Week view' }).press('Enter')
  await expect(page.getByRole('table')).toContainText('Week starting')
  await expectNoAxeViolations(page)
})

test('a booking made through the API appears on an open board without a reload, and in its window with patient and sender', async ({ page, request }) => {
  await signIn(page, USERS.receptionist)
  await openBoardTomorrow(page)
  const ten = page.getByTestId('board-window').filter({ hasText: '10:00 to 10:30' }).getByRole('cell')
  const bookedBefore = Number((await ten.nth(2).innerText()).trim().split(/\s+/).pop())
  // BOOKREQ01 books the example window (tomorrow 10:00) while the board is open.
  const res = await postMessage(request, fixture('BOOKREQ01_Booking_Request_New_Full.json'))
  expect(res.status()).toBe(200)
  await expect(ten.nth(2)).toHaveText(value(bookedBefore + 1))

  await openWindow(page, '11:00 to 11:30')
  const seeded = page.getByTestId('window-booking').filter({ hasText: 'Julie JONES' })
  await expect(seeded).toContainText('Booked by the sender (BaRS)')
  await expect(seeded).toContainText('347 852 6985')
  await page.getByRole('link', { name: /^Back to / }).press('Enter')
  await openWindow(page, '10:00 to 10:30')
  await expect(page.getByTestId('window-booking').filter({ hasText: 'Peter CHALMERS' })).toContainText('Booked by the sender (BaRS)')
})

test("a receptionist does a day's work from the keyboard: book, arrived, did not attend, move, cancel", async ({ page }) => {
  await signIn(page, USERS.receptionist)
  await openBoardTomorrow(page)
  await openWindow(page, '12:00 to 12:30')

  async function book(given: string, family: string, nhs: string) {
    await page.getByLabel('First name').fill(given)
    await page.getByLabel('Last name').fill(family)
    await page.getByLabel('NHS number (optional)').fill(nhs)
    await page.getByRole('button', { name: 'Book patient' }).press('Enter')
    await expect(page.getByTestId('slots-success')).toContainText(`${given} ${family.toUpperCase()} booked`)
  }
  await book('Amal', 'Arrives', '9434765919')
  await book('Bo', 'Absent', '9434765927')
  await book('Cy', 'Mover', '9434765935')
  await expect(page.getByTestId('window-booking')).toHaveCount(3)
  await expectNoAxeViolations(page)

  await page.getByRole('button', { name: 'Arrived for Amal ARRIVES' }).press('Enter')
  await expect(page.getByTestId('slots-success')).toContainText('Amal ARRIVES marked as arrived')
  await expect(page.getByTestId('window-booking').filter({ hasText: 'Amal ARRIVES' })).toContainText('Arrived')
  await page.getByRole('button', { name: 'Did not attend for Bo ABSENT' }).press('Enter')
  await expect(page.getByTestId('slots-success')).toContainText('Bo ABSENT marked as did not attend')
  await expect(page.getByTestId('window-booking').filter({ hasText: 'Bo ABSENT' })).toContainText('Did not attend')

  // The window is now full (3 of 3): the receptionist may book beyond capacity with a reason.
  await expect(page.getByRole('heading', { name: 'Book beyond capacity' })).toBeVisible()

  // Move Cy to 12:30.
  await page.getByRole('link', { name: 'Move or cancel the booking for Cy MOVER' }).press('Enter')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Cy MOVER')
  const choice = page.locator('#move-window option', { hasText: '12:30 to 13:00' })
  await expect(choice).toHaveCount(1)
  await page.getByLabel('New window').focus()
  await page.getByLabel('New window').selectOption((await choice.getAttribute('value'))!)
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Move booking' }).press('Enter')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('12:30 to 13:00')
  await expect(page.getByTestId('slots-success')).toContainText('Booking moved')
  await expect(page.getByTestId('window-booking').filter({ hasText: 'Cy MOVER' })).toBeVisible()

  // …and cancel it there, with a reason.
  await page.getByRole('link', { name: 'Move or cancel the booking for Cy MOVER' }).press('Enter')
  await page.getByLabel('Reason for cancelling').fill('Patient phoned to cancel')
  await page.getByRole('button', { name: 'Cancel booking' }).press('Enter')
  await expect(page.getByTestId('slots-success')).toContainText('Booking cancelled')
  await expect(page.getByTestId('window-booking').filter({ hasText: 'Cy MOVER' })).toHaveCount(0)
  await expect(page.getByText('Cancelled bookings (1)')).toBeVisible()

  // The board agrees: 12:00 has 2 booked (1 arrived, 1 did not attend, 1 left); 12:30 has a free place again.
  await page.getByRole('link', { name: /^Back to / }).press('Enter')
  const noon = page.getByTestId('board-window').filter({ hasText: '12:00 to 12:30' }).getByRole('cell')
  await expect(noon.nth(2)).toHaveText(value(2))
  await expect(noon.nth(3)).toHaveText(value(1))
  await expect(noon.nth(4)).toHaveText(value(1))
  await expect(noon.nth(5)).toHaveText(value(1))
  await expect(page.getByTestId('board-window').filter({ hasText: '12:30 to 13:00' }).getByRole('cell').nth(5)).toHaveText(value(3))
})

test('capacity changes: add places for a period and remove the change again, from the keyboard', async ({ page }) => {
  await signIn(page, USERS.receptionist)
  await page.getByRole('link', { name: 'Slots and bookings' }).press('Enter')
  await page.getByRole('link', { name: 'Capacity changes' }).press('Enter')
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Capacity changes')
  await page.getByRole('radio', { name: 'Add places for a period' }).press('Space')
  await page.getByLabel('Date').fill(tomorrow)
  await page.getByLabel('From').fill('14:00')
  await page.getByLabel('Until').fill('15:00')
  await page.getByLabel('Extra places in each window').fill('2')
  await page.getByLabel('Reason').fill('Extra nurse on shift')
  await expectNoAxeViolations(page)
  await page.getByRole('button', { name: 'Save capacity change' }).press('Enter')
  await expect(page.getByTestId('slots-success')).toContainText('Capacity change saved')
  const row = page.getByTestId('override-row').filter({ hasText: 'Extra nurse on shift' })
  await expect(row).toContainText('Extra places (+2)')

  await page.getByRole('link', { name: 'Arrival windows' }).press('Enter')
  await page.getByRole('link', { name: 'Next day' }).press('Enter')
  await expect(page.getByTestId('board-window').filter({ hasText: '14:30 to 15:00' }).getByRole('cell').nth(1)).toHaveText(value(5))

  await page.getByRole('link', { name: 'Capacity changes' }).press('Enter')
  await page.getByTestId('override-row').filter({ hasText: 'Extra nurse on shift' }).getByRole('button', { name: /^Remove/ }).press('Enter')
  await expect(page.getByTestId('slots-success')).toContainText('Capacity change removed')
  await expect(page.getByTestId('override-row').filter({ hasText: 'Extra nurse on shift' })).toHaveCount(0)
})
