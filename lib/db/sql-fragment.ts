/** One SQL statement as a tagged template's parts, for SqlTx.defer (lib/db/sql.ts). */
export interface TSqlFragment {
  strings: TemplateStringsArray
  values: unknown[]
}

/** sql`INSERT …${v}`: the template's strings (the same object at every call of one call site) name its prepared statement. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): TSqlFragment {
  return { strings, values }
}
