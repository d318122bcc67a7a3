import { z } from 'zod'

/**
 * The only reader of process.env. Everything configurable is named and validated here.
 */
const ZEnv = z.object({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is not set (npm start sets it for the embedded database)'),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Largest $process-message body we accept, in bytes (413 above it). */
  BARS_MAX_BODY_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  /** Prefix of our human-readable case references. */
  BARS_CASE_PREFIX: z.string().regex(/^[A-Z]{2,6}$/).default('ED'),
  /** Public base URL of this receiver (identifier systems in our replies). */
  BARS_PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  /** How long a PROCESSING idempotency record blocks retries (425) before it is considered abandoned. */
  BARS_PROCESSING_LEASE_SECONDS: z.coerce.number().int().positive().default(60),
})

export type TEnv = z.infer<typeof ZEnv>

let cached: TEnv | undefined

export function env(): TEnv {
  cached ??= ZEnv.parse(process.env)
  return cached
}
