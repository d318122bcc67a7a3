/**
 * Who changes a record: the one actor type every referral and booking command takes.
 * - a sender (the system that sent a BaRS message, named by its MessageHeader.source.endpoint),
 * - a staff user (clinician, reception; roles decide what they may do),
 * - the system itself (housekeeping, the worker).
 */
import type { TAuditInput } from './audit-repository'

export type TSenderActor = { kind: 'sender'; endpoint: string; requestId?: string; correlationId?: string }
export type TStaffActor = { kind: 'staff'; id: string; roles: readonly string[]; ip?: string }
export type TSystemActor = { kind: 'system'; name: string }
export type TActor = TSenderActor | TStaffActor | TSystemActor

export function senderActor(endpoint: string | undefined, ids: { requestId?: string; correlationId?: string } = {}): TSenderActor {
  return { kind: 'sender', endpoint: endpoint ?? '', ...ids }
}

export function staffActor(user: { id: string; roles?: readonly string[] }, ip?: string): TStaffActor {
  return { kind: 'staff', id: user.id, roles: user.roles ?? [], ip }
}

export function systemActor(name: string): TSystemActor {
  return { kind: 'system', name }
}

/** The audit columns for an actor. */
export function auditActor(a: TActor): Pick<TAuditInput, 'actorType' | 'actorId' | 'ip' | 'requestId' | 'correlationId'> {
  if (a.kind === 'sender') return { actorType: 'SENDER', actorId: a.endpoint, requestId: a.requestId, correlationId: a.correlationId }
  if (a.kind === 'staff') return { actorType: 'USER', actorId: a.id, ip: a.ip }
  return { actorType: 'SYSTEM', actorId: a.name }
}

/** The staff user's id (Booking.updatedById, Referral.decidedById), or null for a sender or the system. */
export function staffId(a: TActor): string | null {
  return a.kind === 'staff' ? a.id : null
}
