import { z } from 'zod'
import { readBody, staffRoute } from '../../../_lib/staff-route'
import { bookSlot } from '@/lib/slots/book-slot'

export const dynamic = 'force-dynamic'

const ZBook = z.object({
  given: z.string().trim().min(1, 'Enter the first name').max(100),
  family: z.string().trim().min(1, 'Enter the last name').max(100),
  nhsNumber: z.string().trim().max(20).optional(),
  birthDate: z.union([z.literal(''), z.iso.date('Enter a valid date of birth')]).optional(),
  overbookReason: z.string().trim().max(500).optional(),
})

// POST /api/slots/windows/{id}/bookings — book a patient into this window from the desk.
export const POST = staffRoute<{ id: string }>('slots:manage', async ({ req, params, actor }) => {
  const b = await readBody(req, ZBook)
  const booking = await bookSlot({
    slotId: params.id,
    patient: { given: b.given, family: b.family, nhsNumber: b.nhsNumber || undefined, birthDate: b.birthDate || undefined },
    overbookReason: b.overbookReason || undefined,
    actor,
  })
  return { id: booking.id, overbooked: booking.overbooked }
})
