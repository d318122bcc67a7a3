import pino from 'pino'

/**
 * Structured one-line JSON logs (pino). Callers pass ids and codes, never patient data; as a second
 * line of defence, fields whose names suggest patient data are censored.
 * Reads the level from BARS_LOG (silent in tests) or LOG_LEVEL directly: the logger must work even
 * before lib/env.ts can validate the rest of the environment.
 */
type TFields = Record<string, string | number | boolean | null | undefined>

const REDACT = ['nhsNumber', 'patientNhs', 'patient', 'name', 'birthDate', 'postcode', 'address', 'body', 'password', 'token', 'authorization']

function level(): string {
  if (process.env.BARS_LOG === 'silent') return 'silent'
  return process.env.LOG_LEVEL ?? 'info'
}

const holder = globalThis as unknown as { barsLogger?: pino.Logger }

function logger(): pino.Logger {
  holder.barsLogger ??= pino({
    level: level(),
    base: { service: 'bars-inbox' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT, censor: '[redacted]' },
  })
  return holder.barsLogger
}

export const log = {
  info: (msg: string, fields?: TFields) => logger().info(fields ?? {}, msg),
  warn: (msg: string, fields?: TFields) => logger().warn(fields ?? {}, msg),
  error: (msg: string, fields?: TFields) => logger().error(fields ?? {}, msg),
}
