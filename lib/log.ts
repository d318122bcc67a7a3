/**
 * Structured one-line JSON logs. Callers pass ids and codes, never patient data.
 */
type TFields = Record<string, string | number | boolean | null | undefined>

function write(level: 'info' | 'warn' | 'error', msg: string, fields: TFields = {}) {
  if (process.env.BARS_LOG === 'silent') return
  const line = JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields })
  if (level === 'error') console.error(line)
  else console.log(line)
}

export const log = {
  info: (msg: string, fields?: TFields) => write('info', msg, fields),
  warn: (msg: string, fields?: TFields) => write('warn', msg, fields),
  error: (msg: string, fields?: TFields) => write('error', msg, fields),
}
