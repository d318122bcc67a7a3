import { allowedActions, type TReferralAction, type TReferralState } from '@/lib/bars/referral-state'
import { AppError } from '@/lib/errors/app-error'
import { outboxRepository } from '@/lib/outbox/outbox-repository'
import { isStuck } from '@/lib/outbox/stuck'
import { inboxRepository } from './inbox-repository'

const ACTION_TEXT: Record<string, string> = {
  'referral.view': 'Viewed',
  'referral.receive': 'Received from the sender',
  'referral.accept': 'Accepted',
  'referral.reject': 'Rejected',
  'referral.rebook': 'Booked into another window',
  'referral.dna': 'Marked did not attend',
  'referral.cancel': 'Cancelled by the sender',
  'referral.booking-moved': 'Booking moved by reception',
  'referral.booking-cancelled': 'Booking cancelled by reception',
}

/** The same, as the rest of a sentence after the actor's name (issue 11: "Dr Alex Clinician accepted the referral"). */
const ACTION_SENTENCE: Record<string, string> = {
  'referral.view': 'viewed the referral',
  'referral.receive': 'sent the referral',
  'referral.accept': 'accepted the referral',
  'referral.reject': 'rejected the referral',
  'referral.rebook': 'booked the patient into another arrival window',
  'referral.dna': 'marked the patient as did not attend',
  'referral.cancel': 'cancelled the referral',
}

const ATTEMPT: Record<string, string> = {
  'referral.accept': 'accept the referral',
  'referral.reject': 'reject the referral',
  'referral.rebook': 'book another arrival window',
  'referral.dna': 'mark the patient as did not attend',
}

const REFUSED: Record<string, string> = {
  'stale-version': 'someone else had acted first',
  conflict: 'not allowed at that point',
  invalid: 'something was missing',
}

/** "Dr Alex Clinician accepted the referral"; "… tried to accept the referral: refused, someone else had acted first". */
export function activitySentence(who: string, action: string, outcome: string): string {
  if (outcome === 'success') return `${who} ${ACTION_SENTENCE[action] ?? `did ${action}`}`
  return `${who} tried to ${ATTEMPT[action] ?? action}: refused, ${REFUSED[outcome] ?? outcome}`
}

const KIND_TEXT: Record<string, string> = {
  accept: 'Accepted (interim response)',
  reject: 'Rejected (interim response)',
  rebook: 'New arrival window',
  'booking-cancelled': 'Booking cancelled by reception',
  'dna-feedback': 'Did not attend feedback',
  'dna-safeguarding-feedback': 'Safeguarding did not attend feedback',
}

export interface TReferralActivity {
  state: TReferralState
  version: number
  fhirStatus: string
  allowed: TReferralAction[]
  decision: { code: string | null; text: string | null; at: string | null } | null
  booking: { start: string; end: string } | null
  responses: {
    kind: string
    label: string
    status: string
    attempts: number
    createdAt: string
    deliveredAt: string | null
    /** Not delivered after its first retries, or delivery stopped (lib/outbox/stuck.ts). */
    stuck: boolean
    /** When the worker tries again (pending only). */
    nextAttemptAt: string | null
  }[]
  trail: { at: string; who: string; what: string; outcome: string; text: string }[]
}

/** The live part of the referral screen (state, responses, who viewed and acted). Reading it is not itself a view of clinical data, so it is not audited. */
export async function getReferralActivity(id: string): Promise<TReferralActivity> {
  const r = /^[0-9a-f-]{36}$/i.test(id) ? await inboxRepository.stateOf(id) : null
  if (!r) throw new AppError('not-found', 'No such referral.')
  const [trail, responses] = await Promise.all([inboxRepository.activity(id), outboxRepository.forReferral(id)])
  const booked = r.bookings.find((b) => b.status === 'booked')
  return {
    state: r.state,
    version: r.version,
    fhirStatus: r.fhirStatus,
    allowed: allowedActions(r.state, r.fhirStatus),
    decision: r.decidedAt ? { code: r.decisionCode, text: r.decisionText, at: r.decidedAt.toISOString() } : null,
    booking: booked ? { start: booked.start.toISOString(), end: booked.end.toISOString() } : null,
    responses: responses.map((m) => ({
      kind: m.kind,
      label: KIND_TEXT[m.kind] ?? m.kind,
      status: m.status,
      attempts: m.attempts,
      createdAt: m.createdAt.toISOString(),
      deliveredAt: m.deliveredAt?.toISOString() ?? null,
      stuck: isStuck(m),
      nextAttemptAt: m.status === 'PENDING' ? m.nextAttemptAt.toISOString() : null,
    })),
    trail: trail.map((e) => {
      const who = e.actorName ?? (e.actorType === 'SENDER' ? 'The sending system' : 'The system')
      return {
        at: e.at.toISOString(),
        who,
        what: ACTION_TEXT[e.action] ?? e.action,
        outcome: e.outcome === 'success' ? 'Done' : e.outcome === 'stale-version' ? 'Refused: someone else acted first' : `Refused (${e.outcome})`,
        text: activitySentence(who, e.action, e.outcome),
      }
    }),
  }
}
