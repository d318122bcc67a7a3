/**
 * Text a staff member typed, made safe for a Prisma `contains` / `startsWith` / `endsWith` filter.
 * Prisma sends those as LIKE / ILIKE patterns without escaping, so `%` or `_` in a search would be
 * wildcards (`q=%` matched every referral) and a trailing `\` an invalid pattern; PostgreSQL's
 * default LIKE escape character is the backslash. NUL cannot be stored in PostgreSQL text (it would
 * be an error, not "no match") and is dropped, as are unpaired surrogates.
 */
export function likeText(input: string): string {
  return dbText(input).replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** Text for an equality filter: without NUL and with unpaired surrogates replaced (PostgreSQL refuses both). */
export function dbText(input: string): string {
  return input.replace(/\u0000/g, '').toWellFormed()
}
