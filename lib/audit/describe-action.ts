/** Plain-English labels for audit actions (the raw code stays in the CSV export). */
const LABELS: Record<string, string> = {
  'referral.view': 'Viewed referral',
  'referral.received': 'Referral received',
  'referral.receive': 'Referral received from the sender',
  'referral.accept': 'Accepted the referral',
  'referral.reject': 'Rejected the referral',
  'referral.rebook': 'Booked the patient into another window',
  'referral.dna': 'Marked the patient as did not attend',
  'referral.cancel': 'Referral cancelled by the sender',
  'booking.receive': 'Booking received from the sender',
  'booking.create': 'Booked a patient at the desk',
  'booking.cancel': 'Cancelled a booking',
  'booking.move': 'Moved a booking to another window',
  'booking.arrived': 'Marked a patient as arrived',
  'booking.noshow': 'Marked a booking as did not attend',
  'booking.overbook': 'Booked a patient over capacity',
  'booking.changed': 'Changed a booking',
  'slot.block': 'Blocked an arrival window',
  'slot.unblock': 'Unblocked an arrival window',
  'template.create': 'Added a schedule template',
  'template.update': 'Changed a schedule template',
  'template.delete': 'Deleted a schedule template',
  'outbox.resend': 'Resent a response to a sender',
  'response.receive': 'Response received from a sender',
  'audit.retention': 'Applied the audit retention',
  'auth.sign-in': 'Signed in (password)',
  'auth.sign-in.oidc': 'Signed in (NHS identity)',
  'auth.sign-out-everywhere': 'Signed out on every device',
  'audit.search': 'Searched the audit',
  'audit.export': 'Exported the audit',
  'admin.service.create': 'Added a service',
  'admin.service.update': 'Changed a service',
  'admin.sender.create': 'Added a sender system',
  'admin.sender.update': 'Changed a sender system',
  'admin.sender.token-reset': 'Issued a new sender bearer token',
  'admin.user.create': 'Added a staff user',
  'admin.user.update': 'Changed a staff user',
  'admin.settings.update': 'Changed settings',
}

export function describeAction(action: string): string {
  if (LABELS[action]) return LABELS[action]!
  if (action.startsWith('fhir.')) return `Sender API call ${action.slice(5)}`
  if (action.startsWith('api.')) return `Staff screen request ${action.slice(4).replace(/[0-9a-f]{8}-[0-9a-f-]{27}/gi, '…')}`
  return action
}
