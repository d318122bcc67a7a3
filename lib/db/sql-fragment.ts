/** One SQL statement as a tagged template's parts, for SqlTx.defer (lib/db/sql.ts). */
export interface TSqlFragment {
  strings: TemplateStringsArray
  values: unknown[]
}

/** sql`INSERT …${v}`: the template's strings (the same object at every call of one call site) name its prepared statement. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): TSqlFragment {
  return { strings, values }
}

/** Anything that runs a tagged-template statement: a transaction (ours or Prisma's) or the Prisma client. */
interface TExecutes {
  $executeRaw(strings: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>
}

/** Run a fragment now. */
export function execute(db: TExecutes, f: TSqlFragment): PromiseLike<number> {
  return db.$executeRaw(f.strings, ...f.values)
}

/** A write nothing later in the transaction reads: deferred where the transaction can (SqlTx.defer, lib/db/sql.ts), else run at once. */
export async function writeBehind(tx: TExecutes & { defer?(build: () => TSqlFragment): void }, build: () => TSqlFragment): Promise<void> {
  if (tx.defer) tx.defer(build)
  else await execute(tx, build())
}
