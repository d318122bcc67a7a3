/** Plain-English labels for audit actions (the raw code stays in the CSV export). */
const LABELS: Record<string, string> = {
  'referral.view': 'Viewed referral',
  'referral.received': 'Referral received',
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
  if (action.startsWith('fhir.')) return `API call ${action.slice(5)}`
  if (action.startsWith('api.')) return `Staff API call ${action.slice(4)}`
  return action
}
