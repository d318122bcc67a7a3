/**
 * Demo configuration seeded on first start, shaped so that the real NHS examples in
 * lib/bars/__fixtures__/examples work out of the box (they address DoS service 111111111 from
 * sender 2222222222, book slot da83ae28-… and link to appointment 3cac9cde-…).
 */
export const DEMO_SERVICE = {
  dosServiceId: '111111111',
  name: 'Emergency Department - Adult',
  odsCode: 'RXX01',
  kind: 'EMERGENCY' as const,
  useCases: ['a1t1', 'a1t2', 'a1t3', 'a1t4', 'a1t5', 'a1t6', 'a1t7', 'a1t8', 'a1t9', 'a2t1', 'a2t2', 'a2t3', 'a2t4'],
  minAppVersion: '1.0.0',
  maxAppVersion: '2.1.0',
}

/** A clinical assessment service receiving 999 referrals (App 3) and ambulance validation requests (App 4). */
export const DEMO_CAS_SERVICE = {
  dosServiceId: '555555555',
  name: 'Clinical Assessment Service (999 validation)',
  odsCode: 'RXX05',
  kind: 'CAS' as const,
  useCases: ['a3t1', 'a4t1', 'a4t2', 'a4t3'],
}

/** A community pharmacy receiving GP referrals (App 5, Pharmacy First). */
export const DEMO_PHARMACY_SERVICE = {
  dosServiceId: '666666666',
  name: 'Demo Community Pharmacy',
  odsCode: 'FXX06',
  kind: 'PHARMACY' as const,
  useCases: ['a5t1'],
}

export const DEMO_SENDER = {
  name: 'NHS 111 (demo)',
  kind: 'NHS111' as const,
  dosServiceId: '2222222222',
  odsCodes: [] as string[],
  responseBaseUrl: 'http://127.0.0.1:4111/fhir',
}

/** The demo arrival-window template: every day 08:00–22:00 London, 30-minute windows, 3 places. */
export const DEMO_TEMPLATE = { weekdays: [1, 2, 3, 4, 5, 6, 7], startMinute: 8 * 60, endMinute: 22 * 60, windowMinutes: 30, capacity: 3 }

/** The Slot id carried by BOOKREQ01 and the Appointment id REFREQ01 links to. */
export const EXAMPLE_SLOT_ID = 'da83ae28-46f0-4aad-9c54-dcad462cafcb'
export const EXAMPLE_APPOINTMENT_ID = '3cac9cde-a262-42b3-bcf1-215ab79c3e37'

export const DEMO_PASSWORD = 'Demo-password-1'

export const DEMO_USERS = [
  { email: 'clinician@demo.nhs.uk', name: 'Dr Alex Clinician', roles: ['CLINICIAN' as const] },
  { email: 'reception@demo.nhs.uk', name: 'Sam Receptionist', roles: ['RECEPTIONIST' as const] },
  { email: 'admin@demo.nhs.uk', name: 'Jo Admin', roles: ['ADMIN' as const] },
  { email: 'cas@demo.nhs.uk', name: 'Dr Casey Validator', roles: ['CLINICIAN' as const], home: DEMO_CAS_SERVICE.dosServiceId },
  { email: 'pharmacy@demo.nhs.uk', name: 'Priya Pharmacist', roles: ['CLINICIAN' as const], home: DEMO_PHARMACY_SERVICE.dosServiceId },
] as { email: string; name: string; roles: ('CLINICIAN' | 'RECEPTIONIST' | 'ADMIN')[]; home?: string }[]
