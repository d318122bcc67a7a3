/**
 * Demo data for a new database: the ED service and 111 sender the NHS examples use, a template and
 * four weeks of arrival windows made from it, one login per role, and a few referrals received through the real pipeline.
 * Idempotent: does nothing when a service already exists. Run by `npm start` on first start.
 */
import bcrypt from 'bcryptjs'
import type { Bundle } from '@medplum/fhirtypes'
import { prisma } from '@/lib/db/prisma'
import { DEMO_CAS_SERVICE, DEMO_PASSWORD, DEMO_PHARMACY_SERVICE, DEMO_SENDER, DEMO_SERVICE, DEMO_TEMPLATE, DEMO_USERS, EXAMPLE_APPOINTMENT_ID, EXAMPLE_SLOT_ID } from '@/lib/demo/demo-data'
import { demoReferralVariants } from '@/lib/demo/demo-referrals'
import { processMessage } from '@/lib/messages/process-message'
import { serviceRepository } from '@/lib/services/service-repository'
import { addDays } from '@/lib/slots/generate-slots'
import { materialiseSlots } from '@/lib/slots/materialise-slots'
import { DEFAULT_SCHEDULE_NAME } from '@/lib/slots/save-template'
import { londonDate, londonWallClockToUtc } from '@/lib/time/london'

export async function seed(now = new Date()): Promise<boolean> {
  const db = prisma()
  if ((await db.service.count()) > 0) return false

  const service = await db.service.create({ data: DEMO_SERVICE })
  const sender = await db.senderSystem.create({ data: DEMO_SENDER })
  await db.serviceSender.create({ data: { serviceId: service.id, senderId: sender.id } })
  // The CAS and the pharmacy accept the same demo sender (responses go to the simulator).
  const homes = new Map<string, string>([[DEMO_SERVICE.dosServiceId, service.id]])
  for (const data of [DEMO_CAS_SERVICE, DEMO_PHARMACY_SERVICE]) {
    const other = await db.service.create({ data })
    await db.serviceSender.create({ data: { serviceId: other.id, senderId: sender.id } })
    homes.set(data.dosServiceId, other.id)
  }

  const passwordHash = await bcrypt.hash(DEMO_PASSWORD, 10)
  for (const { home, ...u } of DEMO_USERS) await db.staffUser.create({ data: { ...u, passwordHash, homeServiceId: home ? homes.get(home) : null } })

  // Arrival windows come from a template (every day 08:00–22:00 London, 30-minute windows, 3 places),
  // materialised by the same code the desk uses, for the next SLOT_HORIZON_DAYS days.
  const today = londonDate(now)
  const schedule = await db.schedule.create({ data: { serviceId: service.id, name: DEFAULT_SCHEDULE_NAME } })
  await db.scheduleTemplate.create({ data: { scheduleId: schedule.id, ...DEMO_TEMPLATE, validFrom: today } })
  await materialiseSlots(service.id, { now, fromDate: today })
  const windowAt = (date: string, minutes: number) => {
    const start = londonWallClockToUtc(date, minutes)
    return { serviceId_start_end: { serviceId: service.id, start, end: new Date(start.getTime() + DEMO_TEMPLATE.windowMinutes * 60_000) } }
  }
  // The window that BOOKREQ01 books: tomorrow 10:00 (its id is the Slot id in the example).
  const tomorrow = addDays(today, 1)
  await db.slot.update({ where: windowAt(tomorrow, 10 * 60), data: { id: EXAMPLE_SLOT_ID } })

  // The booking REFREQ01 links to (booking first, then referral), in the window tomorrow at 11:00.
  const bookedSlot = await db.slot.findUniqueOrThrow({ where: windowAt(tomorrow, 11 * 60) })
  await db.$transaction([
    db.slot.update({ where: { id: bookedSlot.id }, data: { booked: { increment: 1 } } }),
    db.booking.create({
      data: {
        id: EXAMPLE_APPOINTMENT_ID,
        serviceId: service.id,
        slotId: bookedSlot.id,
        status: 'booked',
        sourceEndpoint: `https://fhir.nhs.uk/Id/dos-service-id|${DEMO_SENDER.dosServiceId}`,
        useCase: 'a1t1',
        start: bookedSlot.start,
        end: bookedSlot.end,
        patientNhsNumber: '3478526985',
        patientFamily: 'Jones',
        patientGiven: 'Julie',
        patientBirthDate: '1959-05-04',
        patientPostcode: 'LS10 4YU',
        versions: { create: { version: 1, bundle: {}, status: 'booked', summary: 'Seeded demo booking' } },
      },
    }),
  ])

  // A few referrals, through the same pipeline the API uses.
  const target = (await serviceRepository.findByDosId(DEMO_SERVICE.dosServiceId))!
  for (const bundle of demoReferralVariants(now)) {
    await processMessage({
      service: target,
      requestId: crypto.randomUUID(),
      correlationId: crypto.randomUUID(),
      nhsd: { undecodable: [] },
      auditHeaders: { seeded: true },
      body: bundle as Bundle,
      now,
    })
  }
  return true
}

// Run directly: `tsx prisma/seed.ts`
if (import.meta.url === `file://${process.argv[1]}`) {
  seed()
    .then((created) => {
      console.log(created ? 'Seeded demo data.' : 'Database already has data; seed skipped.')
      return prisma().$disconnect()
    })
    .catch((e) => {
      console.error(e)
      process.exit(1)
    })
}
