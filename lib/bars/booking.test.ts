import type { Bundle } from '@medplum/fhirtypes'
import { describe, expect, it } from 'vitest'
import { fixture } from '@/lib/testing/fhir-request'
import { summariseBooking } from './booking'
import { freshBooking } from './example-messages'
import { parseMessage } from './message'

describe('summariseBooking', () => {
  it('reads the real BOOKREQ01: our Slot id from the bundled Slot, patient, use case', () => {
    const s = summariseBooking(parseMessage(fixture<Bundle>('BOOKREQ01_Booking_Request_New_Full.json')))
    expect(s).toMatchObject({ status: 'booked', useCase: 'a1t1', slotId: 'da83ae28-46f0-4aad-9c54-dcad462cafcb', patient: { nhsNumber: '9476719931' } })
    expect(s.linkedServiceRequestId).toBeUndefined()
    expect(s.appointmentId).toBeUndefined()
  })

  it('reads BOOKREQ02 (cancel): no slot, no Appointment id', () => {
    const s = summariseBooking(parseMessage(fixture<Bundle>('BOOKREQ02_Booking_Request_Cancelled.json')))
    expect(s).toMatchObject({ status: 'cancelled', patient: { nhsNumber: '9476719931' } })
    expect(s.slotId).toBeUndefined()
  })

  it('takes the slot id from a relative or absolute Slot reference when the Slot is not bundled, and the basedOn link', () => {
    const b = freshBooking({ now: new Date(), basedOnServiceRequestId: 'b1a2c3d4-0000-4000-8000-000000000001' }) as any
    const appt = b.entry.find((e: any) => e.resource.resourceType === 'Appointment').resource
    appt.slot = [{ reference: 'https://bars.example.nhs.uk/fhir/Slot/0f0e0d0c-0000-4000-8000-000000000002' }]
    const s = summariseBooking(parseMessage(b))
    expect(s.slotId).toBe('0f0e0d0c-0000-4000-8000-000000000002')
    expect(s.linkedServiceRequestId).toBe('b1a2c3d4-0000-4000-8000-000000000001')
  })
})
