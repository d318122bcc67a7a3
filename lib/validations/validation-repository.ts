import type { Bundle } from '@medplum/fhirtypes'
import type { Prisma } from '@/generated/prisma/client'
import { prisma, type Tx } from '@/lib/db/prisma'
import type { TValidationChange, TValidationSummary } from '@/lib/bars/validation'

export type TValidationState = 'RECEIVED' | 'IN_PROGRESS' | 'REJECTED' | 'COMPLETED' | 'CANCELLED'
export const OPEN_STATES: readonly TValidationState[] = ['RECEIVED', 'IN_PROGRESS']

export interface TNewValidation {
  id: string
  encounterId: string
  serviceId: string
  correlationId: string
  bundleId: string
  sourceEndpoint: string
  summary: TValidationSummary
  bundle: Bundle
  messageId: string
  receivedAt: Date
}

/** A case as the rules and the response builders need it. */
export interface TValidationRecord {
  id: string
  caseReference: string
  serviceId: string
  state: TValidationState
  fhirStatus: string
  useCase: string
  correlationId: string
  bundleId: string
  encounterId: string
  sourceEndpoint: string
  patientNhsNumber: string | null
  originalArpCode: string | null
  arpCode: string | null
  claimedById: string | null
  interimSentAt: Date | null
  receivedAt: Date
  version: number
  breachAt: Date
}

const recordSelect = {
  id: true, caseReference: true, serviceId: true, state: true, fhirStatus: true, useCase: true, correlationId: true, bundleId: true, encounterId: true,
  sourceEndpoint: true, patientNhsNumber: true, originalArpCode: true, arpCode: true, claimedById: true, interimSentAt: true, receivedAt: true, version: true, breachAt: true,
} as const

/** Postgres unique violation (the partial index "one open case per service and correlation id"). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; meta?: { code?: string }; message?: string }
  return err?.code === 'P2002' || err?.meta?.code === '23505' || /23505|unique constraint/i.test(err?.message ?? '')
}

const json = (v: unknown) => v as Prisma.InputJsonValue

export const validationRepository = {
  async nextCaseReference(tx: Tx): Promise<string> {
    const [row] = await tx.$queryRaw<{ n: bigint }[]>`SELECT nextval('case_reference_seq') AS n`
    return `CAS-${String(row!.n).padStart(6, '0')}`
  },

  /** Insert the case and its first version. Throws a unique violation when an open case has this correlation id. */
  async create(tx: Tx, v: TNewValidation): Promise<{ caseReference: string }> {
    const caseReference = await validationRepository.nextCaseReference(tx)
    const s = v.summary
    await tx.validationCase.create({
      data: {
        id: v.id, caseReference, serviceId: v.serviceId, fhirStatus: s.fhirStatus, useCase: s.useCase, correlationId: v.correlationId, bundleId: v.bundleId,
        encounterId: v.encounterId, sourceEndpoint: v.sourceEndpoint, senderName: s.senderName, patientNhsNumber: s.patient.nhsNumber, patientFamily: s.patient.family,
        patientGiven: s.patient.given, patientBirthDate: s.patient.birthDate, breachAt: s.breachAt, clockStart: s.clockStart, originalArpCode: s.arpCode, arpCode: s.arpCode,
        sceneSafety: s.sceneSafety, safeguarding: s.safeguarding, receivedAt: v.receivedAt,
        versions: { create: { version: 1, bundle: json(v.bundle), fhirStatus: s.fhirStatus, messageId: v.messageId, summary: 'Validation request received' } },
      },
    })
    return { caseReference }
  },

  /** The case an update or cancellation is for: our ServiceRequest id when sent, else the newest case of the conversation. */
  async findTarget(tx: Tx, serviceId: string, keys: { resourceId?: string; correlationId: string }): Promise<TValidationRecord | null> {
    if (keys.resourceId) {
      const byId = await tx.validationCase.findFirst({ where: { id: keys.resourceId, serviceId }, select: recordSelect })
      if (byId) return byId
    }
    return tx.validationCase.findFirst({ where: { serviceId, correlationId: keys.correlationId }, orderBy: { receivedAt: 'desc' }, select: recordSelect })
  },

  async currentBundle(tx: Tx, id: string): Promise<Bundle> {
    const v = await tx.validationVersion.findFirst({ where: { validationId: id }, orderBy: { version: 'desc' }, select: { bundle: true } })
    return (v?.bundle ?? {}) as unknown as Bundle
  },

  /**
   * An update (A4.8/A4.9): new breach time, category, flags… and a new version, only while the case
   * is open — one conditional UPDATE; false when it was closed first (→ 409).
   */
  async applyUpdate(tx: Tx, u: { id: string; summary: TValidationSummary; changes: TValidationChange[]; bundle: Bundle; messageId: string; now: Date }): Promise<number | null> {
    const s = u.summary
    const rows = await tx.$queryRaw<{ version: number }[]>`
      UPDATE "ValidationCase" SET "fhirStatus" = ${s.fhirStatus}, "breachAt" = ${s.breachAt}, "clockStart" = ${s.clockStart ?? null},
        "arpCode" = ${s.arpCode ?? null}, "sceneSafety" = ${s.sceneSafety ?? null}, "safeguarding" = ${s.safeguarding},
        "patientNhsNumber" = COALESCE(${s.patient.nhsNumber ?? null}, "patientNhsNumber"), "patientFamily" = COALESCE(${s.patient.family ?? null}, "patientFamily"),
        "patientGiven" = COALESCE(${s.patient.given ?? null}, "patientGiven"),
        "lastChange" = ${JSON.stringify(u.changes)}::jsonb, "lastChangeAt" = ${u.now}, "version" = "version" + 1, "updatedAt" = ${u.now}
      WHERE "id" = ${u.id}::uuid AND "state" IN ('RECEIVED', 'IN_PROGRESS')
      RETURNING "version"`
    const version = rows[0]?.version
    if (version === undefined) return null
    await tx.validationVersion.create({
      data: { validationId: u.id, version, bundle: json(u.bundle), fhirStatus: s.fhirStatus, messageId: u.messageId, summary: u.changes.length ? `Updated: ${u.changes.map((c) => c.field).join(', ')}` : 'Update received (no visible change)' },
    })
    return version
  },

  /** The requester cancelled (A4.11): only while open; a new version keeps the message. */
  async cancel(tx: Tx, c: { id: string; fhirStatus: string; reason?: string; bundle: Bundle; messageId: string; now: Date }): Promise<number | null> {
    const rows = await tx.$queryRaw<{ version: number }[]>`
      UPDATE "ValidationCase" SET "state" = 'CANCELLED', "fhirStatus" = ${c.fhirStatus}, "cancelReason" = ${c.reason ?? null},
        "version" = "version" + 1, "updatedAt" = ${c.now}
      WHERE "id" = ${c.id}::uuid AND "state" IN ('RECEIVED', 'IN_PROGRESS')
      RETURNING "version"`
    const version = rows[0]?.version
    if (version === undefined) return null
    await tx.validationVersion.create({ data: { validationId: c.id, version, bundle: json(c.bundle), fhirStatus: c.fhirStatus, messageId: c.messageId, summary: `Cancelled by the requester (${c.fhirStatus})` } })
    return version
  },

  /** Start = claim: exactly one clinician wins (`claimedById IS NULL` in the same UPDATE). */
  async claim(tx: Tx, id: string, userId: string, now: Date): Promise<TValidationRecord | null> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE "ValidationCase" SET "state" = 'IN_PROGRESS', "claimedById" = ${userId}::uuid, "claimedAt" = ${now}, "interimSentAt" = ${now},
        "version" = "version" + 1, "updatedAt" = ${now}
      WHERE "id" = ${id}::uuid AND "state" = 'RECEIVED' AND "claimedById" IS NULL
      RETURNING "id"`
    return rows.length ? tx.validationCase.findUnique({ where: { id }, select: recordSelect }) : null
  },

  /** Reject (interim, cancelled): from RECEIVED, or IN_PROGRESS by the clinician who holds it. */
  async reject(tx: Tx, r: { id: string; userId: string; code: string; text: string; now: Date }): Promise<boolean> {
    const n = await tx.$executeRaw`
      UPDATE "ValidationCase" SET "state" = 'REJECTED', "claimedById" = COALESCE("claimedById", ${r.userId}::uuid), "rejectCode" = ${r.code}, "rejectText" = ${r.text},
        "interimSentAt" = ${r.now}, "version" = "version" + 1, "updatedAt" = ${r.now}
      WHERE "id" = ${r.id}::uuid AND ("state" = 'RECEIVED' AND "claimedById" IS NULL OR "state" = 'IN_PROGRESS' AND "claimedById" = ${r.userId}::uuid)`
    return n === 1
  },

  /** Complete (full response): IN_PROGRESS by its clinician, or straight from RECEIVED (no interim, A4.31). */
  async complete(tx: Tx, c: { id: string; userId: string; arpCode: string; now: Date }): Promise<boolean> {
    const n = await tx.$executeRaw`
      UPDATE "ValidationCase" SET "state" = 'COMPLETED', "claimedById" = COALESCE("claimedById", ${c.userId}::uuid), "completedAt" = ${c.now},
        "arpCode" = ${c.arpCode}, "version" = "version" + 1, "updatedAt" = ${c.now}
      WHERE "id" = ${c.id}::uuid AND ("state" = 'RECEIVED' AND "claimedById" IS NULL OR "state" = 'IN_PROGRESS' AND "claimedById" = ${c.userId}::uuid)`
    return n === 1
  },

  async load(tx: Tx, id: string) {
    const v = await tx.validationCase.findUnique({ where: { id }, select: { ...recordSelect, service: { select: { dosServiceId: true, name: true, odsCode: true } } } })
    return v
  },
}

export interface TQueueRow {
  id: string
  caseReference: string
  state: TValidationState
  useCase: string
  patientFamily: string | null
  patientGiven: string | null
  patientBirthDate: string | null
  breachAt: Date
  clockStart: Date | null
  originalArpCode: string | null
  arpCode: string | null
  sceneSafety: string | null
  safeguarding: boolean
  claimedById: string | null
  claimedByName: string | null
  lastChangeAt: Date | null
  version: number
  /** The latest response message and its delivery. */
  delivery: { kind: string; status: string; attempts: number; lastError: string | null } | null
  undelivered: number
}

export const validationQueries = {
  /** The queue: open cases by breach time; plus closed cases whose response is not delivered (alerts). */
  async queue(serviceIds: string[]): Promise<TQueueRow[]> {
    const rows = await prisma().validationCase.findMany({
      where: {
        serviceId: { in: serviceIds },
        OR: [{ state: { in: ['RECEIVED', 'IN_PROGRESS'] } }, { outbox: { some: { status: { in: ['PENDING', 'DEAD'] } } } }],
      },
      orderBy: [{ breachAt: 'asc' }, { receivedAt: 'asc' }],
      take: 200,
      select: {
        id: true, caseReference: true, state: true, useCase: true, patientFamily: true, patientGiven: true, patientBirthDate: true, breachAt: true, clockStart: true,
        originalArpCode: true, arpCode: true, sceneSafety: true, safeguarding: true, claimedById: true, lastChangeAt: true, version: true,
        outbox: { orderBy: { createdAt: 'desc' }, select: { kind: true, status: true, attempts: true, lastError: true } },
      },
    })
    const claimers = [...new Set(rows.map((r) => r.claimedById).filter((x): x is string => !!x))]
    const names = new Map((await prisma().staffUser.findMany({ where: { id: { in: claimers } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]))
    return rows.map(({ outbox, ...r }) => ({
      ...r,
      claimedByName: r.claimedById ? names.get(r.claimedById) ?? null : null,
      delivery: outbox[0] ?? null,
      undelivered: outbox.filter((o) => o.status === 'DEAD' || (o.status === 'PENDING' && o.attempts > 1)).length,
    }))
  },

  async detail(id: string) {
    const v = await prisma().validationCase.findUnique({
      where: { id },
      select: {
        id: true, caseReference: true, serviceId: true, state: true, fhirStatus: true, useCase: true, senderName: true, patientNhsNumber: true, patientFamily: true,
        patientGiven: true, patientBirthDate: true, breachAt: true, clockStart: true, originalArpCode: true, arpCode: true, sceneSafety: true, safeguarding: true,
        claimedById: true, claimedAt: true, interimSentAt: true, rejectCode: true, rejectText: true, completedAt: true, lastChange: true, lastChangeAt: true,
        cancelReason: true, version: true, receivedAt: true,
        service: { select: { name: true, dosServiceId: true } },
        versions: { orderBy: { version: 'desc' }, select: { version: true, summary: true, createdAt: true, fhirStatus: true, bundle: true } },
        outbox: { orderBy: { createdAt: 'asc' }, select: { id: true, kind: true, status: true, attempts: true, createdAt: true, deliveredAt: true, lastError: true } },
      },
    })
    if (!v) return null
    const claimer = v.claimedById ? await prisma().staffUser.findUnique({ where: { id: v.claimedById }, select: { name: true } }) : null
    return { ...v, claimedByName: claimer?.name ?? null }
  },

  async servicesOfKind(kind: 'CAS'): Promise<{ id: string; name: string; dosServiceId: string }[]> {
    return prisma().service.findMany({ where: { kind, active: true }, orderBy: { name: 'asc' }, select: { id: true, name: true, dosServiceId: true } })
  },

  /** The kind of the user's home service (null: none). */
  async homeServiceKind(userId: string): Promise<string | null> {
    const u = await prisma().staffUser.findUnique({ where: { id: userId }, select: { homeServiceId: true } })
    if (!u?.homeServiceId) return null
    return (await prisma().service.findUnique({ where: { id: u.homeServiceId }, select: { kind: true } }))?.kind ?? null
  },

  async homeServiceOf(userId: string): Promise<string | null> {
    const u = await prisma().staffUser.findUnique({ where: { id: userId }, select: { homeServiceId: true } })
    return u?.homeServiceId ?? null
  },
}
