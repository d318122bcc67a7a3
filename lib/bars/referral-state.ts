/**
 * The triage state machine of a referral (pure). The clinician's actions move a referral between
 * states; anything not listed here is illegal and refused before the database is touched.
 * Sender cancellations (CANCELLED) and arrival (ARRIVED, from reception) are driven elsewhere.
 */
export const REFERRAL_STATES = ['NEW', 'ACCEPTED', 'REJECTED', 'BOOKED', 'ARRIVED', 'DID_NOT_ATTEND', 'CANCELLED'] as const
export type TReferralState = (typeof REFERRAL_STATES)[number]

export const REFERRAL_ACTIONS = ['accept', 'reject', 'rebook', 'dna'] as const
export type TReferralAction = (typeof REFERRAL_ACTIONS)[number]

/** From which states each action is allowed, and the state it leads to. */
export const TRANSITIONS: Record<TReferralAction, { from: readonly TReferralState[]; to: TReferralState }> = {
  // Accept a new referral (or one the sender booked first): we will see the patient.
  accept: { from: ['NEW', 'BOOKED'], to: 'ACCEPTED' },
  // Reject: we cannot take the patient (a rejected-reasons-bars code and text are required).
  reject: { from: ['NEW', 'ACCEPTED', 'BOOKED'], to: 'REJECTED' },
  // Book (or move) the patient into another arrival window.
  rebook: { from: ['NEW', 'ACCEPTED', 'BOOKED', 'DID_NOT_ATTEND'], to: 'BOOKED' },
  // The patient did not come by the deadline / in the booked window.
  dna: { from: ['ACCEPTED', 'BOOKED'], to: 'DID_NOT_ATTEND' },
}

export const STATE_LABELS: Record<TReferralState, string> = {
  NEW: 'New',
  ACCEPTED: 'Accepted',
  REJECTED: 'Rejected',
  BOOKED: 'Booked',
  ARRIVED: 'Arrived',
  DID_NOT_ATTEND: 'Did not attend',
  CANCELLED: 'Cancelled',
}

export const ACTION_LABELS: Record<TReferralAction, string> = {
  accept: 'Accept',
  reject: 'Reject',
  rebook: 'Book another window',
  dna: 'Did not attend',
}

/** The state after `action`, or undefined when the action is not allowed from `state`. */
export function nextState(state: TReferralState, action: TReferralAction, fhirStatus = 'active'): TReferralState | undefined {
  if (fhirStatus !== 'active') return undefined // a revoked / entered-in-error referral is closed
  const t = TRANSITIONS[action]
  return t.from.includes(state) ? t.to : undefined
}

/** Every action a clinician may take on a referral in this state, in display order. */
export function allowedActions(state: TReferralState, fhirStatus = 'active'): TReferralAction[] {
  return REFERRAL_ACTIONS.filter((a) => nextState(state, a, fhirStatus) !== undefined)
}

export function isReferralState(value: string): value is TReferralState {
  return (REFERRAL_STATES as readonly string[]).includes(value)
}

/** rejected-reasons-bars 1.1.0 (App 4 interim rejection; we use it for every rejection). */
export const REJECTED_REASONS_SYSTEM = 'https://fhir.nhs.uk/CodeSystem/rejected-reasons-bars'
export const REJECTED_REASONS = {
  RRNA: 'Requested resource not available within timescale',
  FC: 'Failed Contact',
  OTH: 'Other',
} as const
export type TRejectedReason = keyof typeof REJECTED_REASONS
export function isRejectedReason(code: string): code is TRejectedReason {
  return Object.hasOwn(REJECTED_REASONS, code)
}
