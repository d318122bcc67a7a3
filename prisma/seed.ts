/**
 * Demo data for a new database: the ED service and 111 sender the NHS examples use, three days of
 * arrival windows, one login per role, and a few referrals received through the real pipeline.
 * Idempotent: does nothing when a service already exists. Run by `npm start` on first start.
 */
import bcrypt from 'bcryptjs'
import type { Bundle } from '@medplum/fhirtypes'
import { prisma } from '@/lib/db/prisma'
import { DEMO_PASSWORD, DEMO_SENDER, DEMO_SERVICE, DEMO_USERS, EXAMPLE_APPOINTMENT_ID, EXAMPLE_SLOT_ID } from '@/lib/demo/demo-data'
import { demoReferralVariants } from '@/lib/demo/demo-referrals'
import { processMessage } from '@/lib/messages/process-message'
import { serviceRepository } from '@/lib/services/service-repository'
import { londonWallClockToUtc } from '@/lib/time/london'

export async function seed(now = new Date()): Promise<boolean> {
  const db = prisma()
  if ((await db.service.count()) > 0) return false

  const service = await db.service.create({ data: DEMO_SERVICE })
  const sender = await db.senderSystem.create({ data: DEMO_SENDER })
  await db.serviceSender.create({ data: { serviceId: service.id, senderId: sender.id } })

  const passwordHash = await bcrypt.hash(DEMO_PASSWORD, 10)
  for (const u of DEMO_USERS) await db.staffUser.create({ data: { ...u, passwordHash } })

  // Arrival windows: today and the next two days, 08:00–22:00 London time, 30 minutes, 3 places each.
  const slots: { id: string; serviceId: string; start: Date; end: Date; capacity: number }[] = []
  const today = now.toLocaleDateString('en-CA', { timeZone: 'Europe/London' })
  for (let d = 0; d < 3; d++) {
    const day = new Date(`${today}T12:00:00Z`)
    day.setUTCDate(day.getUTCDate() + d)
    const date = day.toISOString().slice(0, 10)
    for (let minutes = 8 * 60; minutes < 22 * 60; minutes += 30) {
      const start = londonWallClockToUtc(date, minutes)
      slots.push({ id: crypto.randomUUID(), serviceId: service.id, start, end: new Date(start.getTime() + 30 * 60_000), capacity: 3 })
    }
  }
  // The window that BOOKREQ01 books: tomorrow 10:00.
  const exampleSlot = slots[28 + 4]!
  exampleSlot.id = EXAMPLE_SLOT_ID
  await db.slot.createMany({ data: slots })

  // The booking REFREQ01 links to (booking first, then referral), in the window tomorrow at 11:00.
  const bookedSlot = slots[28 + 6]!
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
