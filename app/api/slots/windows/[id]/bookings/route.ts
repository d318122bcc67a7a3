import { z } from 'zod'
import { apiRoute } from '@/lib/http/with-route'
import { bookSlot } from '@/lib/slots/book-slot'
import { deskActor } from '@/lib/slots/slot-actor'

export const dynamic = 'force-dynamic'

const ZBook = z.object({
  given: z.string().trim().min(1, 'Enter the first name').max(100),
  family: z.string().trim().min(1, 'Enter the last name').max(100),
  nhsNumber: z.string().trim().max(20).optional(),
  birthDate: z.union([z.literal(''), z.iso.date('Enter a valid date of birth')]).optional(),
  overbookReason: z.string().trim().max(500).optional(),
})

// POST /api/slots/windows/{id}/bookings — book a patient into this window from the desk.
export const POST = apiRoute({
  permission: 'slots:manage',
  body: ZBook,
  handler: async ({ body, params, user, ip }) => {
    const booking = await bookSlot({
      slotId: params.id ?? '',
      patient: { given: body.given, family: body.family, nhsNumber: body.nhsNumber || undefined, birthDate: body.birthDate || undefined },
      overbookReason: body.overbookReason || undefined,
      actor: deskActor(user, ip),
    })
    return { id: booking.id, overbooked: booking.overbooked }
  },
})
