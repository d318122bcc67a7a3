import { z } from 'zod'
import { compareSemver } from '@/lib/bars/headers'
import { USE_CASE_DISPLAYS } from '@/lib/bars/message-definitions'
import { ROLES } from '@/lib/auth/permissions'
import { kindServesUseCase, SERVICE_KIND_INFO, SERVICE_KINDS } from '@/lib/bars/service-kinds'

/** Input schemas of the admin screens (validated in the API route; field paths match the form fields). */
const ODS = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{3,10}$/, 'An ODS code is 3 to 10 letters and numbers, like RXX01')
const SEMVER = z
  .string()
  .trim()
  .regex(/^\d+\.\d+\.\d+$/, 'Enter a version like 1.0.0')
const DOS_ID = z
  .string()
  .trim()
  .regex(/^\d{3,15}$/, 'A DoS service id is 3 to 15 digits')
const NAME = z.string().trim().min(1, 'Enter a name').max(120, 'Name must be 120 characters or fewer')
const lines = (item: z.ZodType<string, string>) =>
  z
    .array(z.string())
    .default([])
    .transform((xs) => [...new Set(xs.map((x) => x.trim()).filter(Boolean))])
    .pipe(z.array(item).max(50))

export const USE_CASE_CODES = Object.keys(USE_CASE_DISPLAYS) as [string, ...string[]]

export const ZServiceInput = z
  .object({
    dosServiceId: DOS_ID,
    name: NAME,
    odsCode: ODS,
    kind: z.enum(SERVICE_KINDS, 'Choose the kind of service').default('EMERGENCY'),
    useCases: z.array(z.enum(USE_CASE_CODES)).min(1, 'Choose at least one use case'),
    minAppVersion: SEMVER,
    maxAppVersion: SEMVER,
    amberMinutes: z.coerce.number().int('Enter whole minutes').min(1).max(1440),
    redMinutes: z.coerce.number().int('Enter whole minutes').min(0).max(1440),
    maxSlotWindowHours: z.coerce.number().int('Enter whole hours').min(1, 'At least 1 hour').max(2160, 'At most 2160 hours (90 days)'),
    active: z.boolean().default(true),
    senderIds: z.array(z.uuid()).default([]),
  })
  .superRefine((v, ctx) => {
    if (compareSemver(v.minAppVersion, v.maxAppVersion) > 0) ctx.addIssue({ code: 'custom', path: ['maxAppVersion'], message: 'The highest version must not be lower than the lowest' })
    const foreign = v.useCases.filter((u) => !kindServesUseCase(v.kind, u))
    if (foreign.length) {
      ctx.addIssue({ code: 'custom', path: ['useCases'], message: `${SERVICE_KIND_INFO[v.kind].label} services cannot take ${foreign.join(', ')}` })
    }
    if (v.redMinutes >= v.amberMinutes) ctx.addIssue({ code: 'custom', path: ['redMinutes'], message: 'Red must be fewer minutes than amber' })
  })
export type TServiceInput = z.infer<typeof ZServiceInput>

export const SENDER_KINDS = ['NHS111', 'CAS', 'AMBULANCE_999', 'OTHER'] as const

export const ZSenderInput = z.object({
  name: NAME,
  kind: z.enum(SENDER_KINDS),
  dosServiceId: DOS_ID,
  odsCodes: lines(ODS),
  softwareIds: lines(z.string().max(200)),
  responseBaseUrl: z
    .string()
    .trim()
    .max(500)
    .transform((v) => v || null)
    .pipe(z.url({ protocol: /^https?$/, error: 'Enter a web address starting https://' }).nullable())
    .default(null),
  clientCertSubject: z
    .string()
    .trim()
    .max(500)
    .transform((v) => v || null)
    .default(null),
  /** Write-only: a new outbound token; omitted or empty keeps the current one. */
  outboundToken: z.string().trim().max(4000).optional(),
  clearOutboundToken: z.boolean().default(false),
  active: z.boolean().default(true),
})
export type TSenderInput = z.infer<typeof ZSenderInput>

const EMAIL = z.string().trim().toLowerCase().pipe(z.email('Enter an email address like name@nhs.net'))
const PASSWORD = z.string().min(12, 'A password needs at least 12 characters').max(200)
const ROLES_INPUT = z.array(z.enum(ROLES)).min(1, 'Choose at least one role')

export const ZUserCreate = z.object({ email: EMAIL, name: NAME, roles: ROLES_INPUT, password: PASSWORD })
export type TUserCreate = z.infer<typeof ZUserCreate>

export const ZUserUpdate = z.object({
  name: NAME,
  roles: ROLES_INPUT,
  active: z.boolean(),
  password: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(PASSWORD.optional()),
  unlock: z.boolean().default(false),
})
export type TUserUpdate = z.infer<typeof ZUserUpdate>

export const ZSettingsInput = z.object({
  auditRetentionYears: z.coerce.number().int('Enter a whole number of years').min(1, 'Keep the audit for at least 1 year').max(100, 'Enter 100 years or fewer'),
})
