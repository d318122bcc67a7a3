import { compareSemver } from './headers'

/**
 * The kinds of receiving service BaRS names, and what each kind serves. A service's kind decides
 * which BaRS Applications (and so use cases, Application versions, MessageDefinitions, worklist and
 * actions) it offers:
 * - EMERGENCY: an ED / UTC / SDEC receiving from 111, CAS and 999 (Applications 1 and 2);
 * - CAS: a clinical assessment service receiving 999 referrals (App 3) and ambulance validation
 *   requests (App 4);
 * - PHARMACY: a community pharmacy receiving GP referrals (App 5, Pharmacy First).
 */
export const SERVICE_KINDS = ['EMERGENCY', 'CAS', 'PHARMACY'] as const
export type TServiceKind = (typeof SERVICE_KINDS)[number]

export const SERVICE_KIND_INFO: Record<TServiceKind, { label: string; applications: readonly number[] }> = {
  EMERGENCY: { label: 'Emergency department or urgent treatment centre', applications: [1, 2] },
  CAS: { label: 'Clinical assessment service', applications: [3, 4] },
  PHARMACY: { label: 'Community pharmacy', applications: [5] },
}

/** The BaRS Application a use-case code belongs to: `a4t2` → 4 (usecases-categories-bars). */
export function applicationOfUseCase(useCase: string | undefined): number | undefined {
  const m = /^a(\d+)t\d+$/.exec(useCase ?? '')
  return m ? Number(m[1]) : undefined
}

/** Whether a use case belongs to one of the kind's Applications. */
export function kindServesUseCase(kind: TServiceKind, useCase: string): boolean {
  const app = applicationOfUseCase(useCase)
  return app !== undefined && SERVICE_KIND_INFO[kind].applications.includes(app)
}

/**
 * Application versions (Bundle.meta.versionId) accepted per Application, for the Applications whose
 * range is not set per service. Apps 1 and 2 use the service's own configured range (admin sets it);
 * the others follow the published version histories (../shared/bars/apps-3-4-5.md §8): App 3 and 4
 * from 1.0.0 to 2.0.0 (the App 4 examples carry 1.1.0), App 5 from 1.0.0-beta (REFREQ03) to 1.2.0
 * (Q18: support the 1.x range).
 */
export const NATIONAL_APP_VERSIONS: Record<number, { min: string; max: string }> = {
  3: { min: '1.0.0', max: '2.0.0' },
  4: { min: '1.0.0', max: '2.0.0' },
  5: { min: '1.0.0-beta', max: '1.2.0' },
}

export interface TVersionedService {
  kind: TServiceKind
  minAppVersion: string
  maxAppVersion: string
}

/**
 * The Application version range that applies to a message for this service: by the Application of
 * its use case, else (use case not yet known) the first Application of the service's kind.
 */
export function appVersionRange(service: TVersionedService, useCase: string | undefined): { min: string; max: string; application: number } {
  const application = applicationOfUseCase(useCase) ?? SERVICE_KIND_INFO[service.kind].applications[0]!
  const national = NATIONAL_APP_VERSIONS[application]
  if (national) return { ...national, application }
  return { min: service.minAppVersion, max: service.maxAppVersion, application }
}

export function versionInRange(version: string, range: { min: string; max: string }): boolean {
  return compareSemver(version, range.min) >= 0 && compareSemver(version, range.max) <= 0
}
