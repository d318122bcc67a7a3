import { prisma } from '@/lib/db/prisma'
import type { Bundle } from '@medplum/fhirtypes'
import type { Prisma } from '@/generated/prisma/client'
import type { Tx } from '@/lib/db/prisma'
import type { SqlTx } from '@/lib/db/sql'
import type { TReferralSummary } from '@/lib/bars/referral'
import type { TDeadline } from '@/lib/bars/deadline'
import { versionBundleSelect } from '@/lib/referrals/version-bundle'

export interface TNewReferral {
  id: string
  encounterId: string
  serviceId: string
  correlationId: string
  bundleId: string
  sourceEndpoint: string
  summary: TReferralSummary
  /** The deadline to store (explicit or derived, lib/bars/deadline.ts); without it, the summary's explicit one. */
  due?: TDeadline
  /** The message it came in: the version points at its stored bundle. */
  messageId: string
  receivedAt: Date
  casePrefix: string
}

/** What a cancellation or a link needs to know about a candidate referral. */
const candidateColumns = {
  id: true,
  fhirStatus: true,
  state: true,
  updatedAt: true,
  receivedAt: true,
  version: true,
  patientNhsNumber: true,
  patientFamily: true,
  patientBirthDate: true,
} as const

type TCandidateRow = Prisma.ReferralGetPayload<{ select: typeof candidateColumns }>
/** `status` is the FHIR status (for the cancellation cascade). */
export type TReferralCandidate = TCandidateRow & { status: string }

const asCandidate = (r: TCandidateRow): TReferralCandidate => ({ ...r, status: r.fhirStatus })
const newestFirst = [{ receivedAt: 'desc' as const }]

export const referralRepository = {
  /** The next human-readable case reference, e.g. ED-000042 (a database sequence: unique across instances). */
  async nextCaseReference(tx: Tx, prefix: string): Promise<string> {
    const [row] = await tx.$queryRaw<{ n: bigint }[]>`SELECT nextval('case_reference_seq') AS n`
    return `${prefix}-${String(row!.n).padStart(6, '0')}`
  },

  async findForService(tx: Tx, serviceId: string, id: string): Promise<TReferralCandidate | null> {
    const row = await tx.referral.findFirst({ where: { id, serviceId }, select: candidateColumns })
    return row ? asCandidate(row) : null
  },

  // Cancellation cascade look-ups (newest first).
  async candidatesById(tx: Tx, serviceId: string, id: string): Promise<TReferralCandidate[]> {
    return (await tx.referral.findMany({ where: { serviceId, id }, select: candidateColumns })).map(asCandidate)
  },
  async candidatesByBundleId(tx: Tx, serviceId: string, bundleId: string): Promise<TReferralCandidate[]> {
    return (await tx.referral.findMany({ where: { serviceId, bundleId }, select: candidateColumns, orderBy: newestFirst })).map(asCandidate)
  },
  async candidatesByCorrelation(tx: Tx, serviceId: string, correlationId: string): Promise<TReferralCandidate[]> {
    return (await tx.referral.findMany({ where: { serviceId, correlationId }, select: candidateColumns, orderBy: newestFirst })).map(asCandidate)
  },
  async candidatesBySenderIdentifiers(tx: Tx, serviceId: string, ids: { requestIdentifier?: string; senderCaseId?: string }): Promise<TReferralCandidate[]> {
    const or = [
      ...(ids.requestIdentifier ? [{ requestIdentifier: ids.requestIdentifier }] : []),
      ...(ids.senderCaseId ? [{ senderCaseId: ids.senderCaseId }] : []),
    ]
    if (!or.length) return []
    return (await tx.referral.findMany({ where: { serviceId, OR: or }, select: candidateColumns, orderBy: newestFirst })).map(asCandidate)
  },

  /**
   * The sender cancelled the referral: one conditional UPDATE (`WHERE "fhirStatus" = 'active'`),
   * so of concurrent cancellations exactly one changes it; false for the others. The version row
   * is numbered under the row lock that UPDATE holds, so it cannot clash.
   */
  async cancelIf(tx: Tx, c: { id: string; fhirStatus: string; reason?: string; bundle: Bundle; messageId: string }): Promise<boolean> {
    const n = await tx.$executeRaw`
      UPDATE "Referral" SET "fhirStatus" = ${c.fhirStatus}, state = 'CANCELLED'::"ReferralState", "cancelReason" = ${c.reason ?? null},
        version = version + 1, "updatedAt" = now()
      WHERE id = ${c.id}::uuid AND "fhirStatus" = 'active'`
    if (n !== 1) return false
    await referralRepository.addVersion(tx, c.id, {
      bundle: c.bundle,
      fhirStatus: c.fhirStatus,
      messageId: c.messageId,
      summary: c.fhirStatus === 'entered-in-error' ? 'Referral withdrawn by the sender: sent in error' : 'Referral cancelled (revoked) by the sender',
    })
    return true
  },

  /**
   * Add a ReferralVersion numbered one past the last. Call only while holding the Referral row's
   * lock (after a conditional UPDATE of it in the same transaction): every writer of versions
   * takes that lock first, so two can never pick the same number.
   */
  async addVersion(tx: Tx, referralId: string, v: { bundle: Bundle; fhirStatus: string; messageId: string | null; summary: string }) {
    await tx.$executeRaw`
      INSERT INTO "ReferralVersion" (id, "referralId", version, bundle, "fhirStatus", "messageId", summary)
      SELECT gen_random_uuid(), ${referralId}::uuid, COALESCE(MAX(version), 0) + 1, ${v.messageId ? null : JSON.stringify(v.bundle)}::jsonb, ${v.fhirStatus}, ${v.messageId}::uuid, ${v.summary}
      FROM "ReferralVersion" WHERE "referralId" = ${referralId}::uuid`
  },

  /**
   * A booking now holds a window for this referral: bump its version. Its triage state does not
   * change: a referral stays New until a clinician has looked at it (the worklist shows the booked
   * window beside it), so a booking-first referral can never skip the New tab.
   */
  async noteBooked(tx: SqlTx, id: string) {
    await tx.$executeRaw`UPDATE "Referral" SET version = version + 1, "updatedAt" = now() WHERE id = ${id}::uuid`
  },

  /** Reception marked the patient arrived: NEW / ACCEPTED / BOOKED → ARRIVED. */
  async markArrived(tx: Tx, id: string) {
    await tx.$executeRaw`UPDATE "Referral" SET "state" = CASE WHEN "state" IN ('NEW', 'ACCEPTED', 'BOOKED') THEN 'ARRIVED'::"ReferralState" ELSE "state" END,
      "version" = "version" + 1, "updatedAt" = now() WHERE "id" = ${id}::uuid`
  },

  /** The booking that held a window was cancelled (by the sender or at the desk): BOOKED → NEW (the referral itself stays open). */
  async markUnbooked(tx: Tx, id: string) {
    await tx.$executeRaw`UPDATE "Referral" SET "state" = CASE WHEN "state" = 'BOOKED' THEN 'NEW'::"ReferralState" ELSE "state" END,
      "version" = "version" + 1, "updatedAt" = now() WHERE "id" = ${id}::uuid`
  },

  /**
   * The referral and its first version, in one statement (issue 10: prepared SQL on the hot path).
   * The version does not copy the bundle: it points at the message it came in (`messageId`), whose
   * `InboundMessage.rawBundle` is the one stored copy (`versionBundle` reads it back). The case
   * reference comes from a database sequence, so it is unique across instances.
   */
  async create(tx: SqlTx, r: TNewReferral): Promise<{ id: string; caseReference: string }> {
    const s = r.summary
    const deadline = r.due ? new Date(r.due.at) : s.deadline ? new Date(s.deadline) : null
    const deadlineSource = r.due ? r.due.source : s.deadline ? 'EXPLICIT' : null
    const [row] = await tx.$queryRaw<{ caseReference: string }[]>`
      WITH ref AS (
        INSERT INTO "Referral" ("id", "caseReference", "serviceId", "fhirStatus", "useCase", "category", "correlationId", "bundleId", "encounterId",
          "sourceEndpoint", "senderOdsCode", "senderName", "requestIdentifier", "senderCaseId", "journeyId", "patientNhsNumber", "patientFamily",
          "patientGiven", "patientBirthDate", "patientPostcode", "chiefConcern", "dispositionCode", "dispositionDisplay", "deadline", "deadlineSource",
          "safeguarding", "flagCount", "receivedAt", "updatedAt")
        VALUES (${r.id}::uuid, ${r.casePrefix} || '-' || lpad(nextval('case_reference_seq')::text, 6, '0'), ${r.serviceId}::uuid, ${s.fhirStatus}, ${s.useCase},
          ${s.category}, ${r.correlationId}::uuid, ${r.bundleId}, ${r.encounterId}::uuid, ${r.sourceEndpoint}, ${s.senderOdsCode ?? null}, ${s.senderName ?? null},
          ${s.requestIdentifier ?? null}, ${s.senderCaseId ?? null}, ${s.journeyId ?? null}, ${s.patient.nhsNumber ?? null}, ${s.patient.family ?? null},
          ${s.patient.given ?? null}, ${s.patient.birthDate ?? null}, ${s.patient.postcode ?? null}, ${s.chiefConcern ?? null}, ${s.dispositionCode ?? null},
          ${s.dispositionDisplay ?? null}, ${deadline}::timestamptz, ${deadlineSource}::"DeadlineSource", ${s.safeguarding}::boolean, ${s.flagCount}::int,
          ${r.receivedAt}::timestamptz, now())
        RETURNING "id", "caseReference"
      ), ver AS (
        INSERT INTO "ReferralVersion" ("id", "referralId", "version", "bundle", "fhirStatus", "messageId", "summary")
        SELECT gen_random_uuid(), ref."id", 1, NULL, ${s.fhirStatus}, ${r.messageId}::uuid, 'Referral received' FROM ref
      )
      SELECT "caseReference" FROM ref`
    return { id: r.id, caseReference: row!.caseReference }
  },
}

const readSelect = {
  id: true,
  fhirStatus: true,
  useCase: true,
  category: true,
  version: true,
  updatedAt: true,
  receivedAt: true,
  cancelReason: true,
  requestIdentifier: true,
  patientNhsNumber: true,
  patientFamily: true,
  patientGiven: true,
  patientPostcode: true,
  versions: { orderBy: { version: 'desc' as const }, select: versionBundleSelect },
  bookings: { where: { status: 'booked' }, select: { id: true } },
} as const

export type TReferralRead = Prisma.ReferralGetPayload<{ select: typeof readSelect }>

export const referralQueries = {
  /** GET /ServiceRequest/{id}: the referral of this service with every version (newest first) and its current bookings. */
  async getForService(serviceId: string, id: string, sourceEndpoints?: readonly string[]): Promise<TReferralRead | null> {
    return prisma().referral.findFirst({ where: { id, serviceId, ...(sourceEndpoints ? { sourceEndpoint: { in: [...sourceEndpoints] } } : {}) }, select: readSelect })
  },

  /** GET /ServiceRequest?…: by NHS number, birth date and/or ServiceRequest.identifier (newest first). */
  async search(serviceId: string, where: { nhsNumber?: string; birthDate?: string; identifier?: string; sourceEndpoints?: readonly string[] }, limit = 100): Promise<TReferralRead[]> {
    return prisma().referral.findMany({
      where: {
        serviceId,
        ...(where.sourceEndpoints ? { sourceEndpoint: { in: [...where.sourceEndpoints] } } : {}),
        ...(where.nhsNumber ? { patientNhsNumber: where.nhsNumber } : {}),
        ...(where.birthDate ? { patientBirthDate: where.birthDate } : {}),
        ...(where.identifier ? { requestIdentifier: where.identifier } : {}),
      },
      select: readSelect,
      orderBy: newestFirst,
      take: limit,
    })
  },
}
