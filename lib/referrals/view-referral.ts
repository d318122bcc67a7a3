import type { Bundle } from '@medplum/fhirtypes'
import { describeChanges, referralView, type TReferralView } from '@/lib/bars/referral-view'
import { auditRepository } from '@/lib/audit/audit-repository'
import { AppError } from '@/lib/errors/app-error'
import { inboxRepository } from './inbox-repository'
import { SENDER_KIND_LABELS } from './list-inbox'
import { versionBundle } from '@/lib/referrals/version-bundle'

export interface TVersionView {
  version: number
  receivedAt: string
  summary: string
  fhirStatus: string
  changes: string[]
}

/** A clinician opens a referral: the record, its view built from the stored FHIR, every version with what changed — and one audit row for the view. */
export async function viewReferral(id: string, viewer: { userId: string; ip?: string }, now = new Date()) {
  const referral = /^[0-9a-f-]{36}$/i.test(id) ? await inboxRepository.getForView(id) : null
  if (!referral) throw new AppError('not-found', 'No such referral.')
  await auditRepository.record({
    actorType: 'USER',
    actorId: viewer.userId,
    action: 'referral.view',
    entityType: 'Referral',
    entityId: referral.id,
    patientNhs: referral.patientNhsNumber ?? undefined,
    outcome: 'success',
    ip: viewer.ip,
  })
  const bundles = referral.versions.map((v) => versionBundle(v) as Bundle)
  const latest = bundles.at(-1) ?? null
  const versions: TVersionView[] = referral.versions
    .map((v, i) => ({
      version: v.version,
      receivedAt: v.createdAt.toISOString(),
      summary: v.summary,
      fhirStatus: v.fhirStatus,
      changes: i === 0 ? [] : describeChanges(bundles[i - 1]!, bundles[i]!),
    }))
    .reverse()
  const view: TReferralView | null = latest ? referralView(latest, now) : null
  const senderKind = await inboxRepository.senders().then((s) => s.find((x) => referral.sourceEndpoint.endsWith(`|${x.dosServiceId}`)))
  return {
    referral,
    view,
    versions,
    sender: { kind: senderKind ? SENDER_KIND_LABELS[senderKind.kind] : undefined, system: senderKind?.name },
  }
}

/** The referral page's title: its case reference (never the patient's name: titles show in tabs and history). Not audited: no clinical data. */
export async function referralTitle(id: string): Promise<string> {
  const r = /^[0-9a-f-]{36}$/i.test(id) ? await inboxRepository.caseReferenceOf(id) : null
  return r ? `Referral ${r.caseReference}` : 'Page not found'
}
