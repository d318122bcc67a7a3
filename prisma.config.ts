/**
 * Prisma CLI configuration — and the one place for every offline workaround Prisma 6.19 needs here.
 *
 * Why this file is odd: on this machine kind only the npm registry is reachable. Prisma's native
 * schema engine is downloaded from binaries.prisma.sh, which we cannot reach, and Prisma 7 has no
 * other way to migrate. Prisma 6.19 can run Migrate through its *Wasm* schema engine over a driver
 * adapter (`engine: 'js'` below), but @prisma/adapter-pg 6.19 has bugs on that path, patched here.
 * See ../shared/toolchain.md §3.2. This file is loaded only by the Prisma CLI process; the app's
 * runtime client (lib/db/prisma.ts) uses the standard, unpatched adapter.
 */
import 'dotenv/config'
import { defineConfig } from 'prisma/config'
import { PrismaPg } from '@prisma/adapter-pg'
import type { PoolConfig } from 'pg'

// The CLI must be able to resolve env("DATABASE_URL") or it ignores engineType="client" and tries to
// download libquery_engine. `prisma generate` (npm postinstall) needs no real database.
process.env.DATABASE_URL ??= 'postgresql://unset:unset@127.0.0.1:1/unset'

// The Wasm engine leaves 10 s / 60 s guard timers behind; unref long timers so the CLI exits when done.
const originalSetTimeout = globalThis.setTimeout
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const timer = originalSetTimeout(fn, ms, ...args)
  if (typeof ms === 'number' && ms >= 5000) timer.unref?.()
  return timer
}) as typeof setTimeout

// Built-in type OIDs adapter-pg 6.19 can decode; any other built-in (name, "char", …) read from the
// catalogue by the schema engine is reported as text (prisma/orm#27403).
const KNOWN_OIDS = new Set([
  16, 17, 20, 21, 23, 25, 26, 114, 142, 650, 700, 701, 790, 869, 1042, 1043, 1082, 1083, 1114, 1184, 1266, 1560, 1562,
  1700, 2950, 3802, 1000, 1001, 1002, 1005, 1007, 1009, 1014, 1015, 1016, 1021, 1022, 1028, 1041, 1115, 1182, 1183,
  1185, 1231, 1561, 1563, 651, 143, 199, 3807, 2951, 791,
])

type Patchable = Record<string, unknown> & { __barsPatched?: boolean }

function patchAdapter(adapter: object) {
  const adapterProto = Object.getPrototypeOf(adapter) as Patchable
  if (adapterProto.__barsPatched) return
  // executeScript() splits SQL on ';', breaking $$-quoted function bodies: send the script whole.
  adapterProto.executeScript = async function (this: { client: { query(s: string): Promise<unknown> }; onError(e: unknown): never }, script: string) {
    try {
      await this.client.query(script)
    } catch (e) {
      this.onError(e)
    }
  }
  const queryableProto = Object.getPrototypeOf(adapterProto) as Patchable
  const performIO = queryableProto.performIO as (this: unknown, q: unknown) => Promise<{ fields?: { dataTypeID: number; name: string }[]; rows?: unknown[][] }>
  queryableProto.performIO = async function (this: unknown, q: unknown) {
    const res = await performIO.call(this, q)
    for (const f of res?.fields ?? []) if (f.dataTypeID < 16384 && !KNOWN_OIDS.has(f.dataTypeID)) f.dataTypeID = 25
    // PostgreSQL 18 lists NOT NULL constraints (contype 'n'); the 6.19 engine panics on them.
    const ct = res?.fields?.findIndex((f) => f.name === 'constraint_type') ?? -1
    if (ct >= 0 && Array.isArray(res.rows)) res.rows = res.rows.filter((r) => r[ct] !== 'n')
    return res
  }
  adapterProto.__barsPatched = true
}

// A connectionString would override `database` in the shadow-DB helper, so pass discrete fields.
function poolConfig(url: string): PoolConfig {
  const u = new URL(url)
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    database: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    allowExitOnIdle: true,
    max: 5,
  }
}

// The shadow-DB dispose of adapter-pg 6.19 drops the database before closing its pool; do it in order.
class OfflinePrismaPg extends PrismaPg {
  constructor(private readonly cfg: PoolConfig) {
    super(cfg)
  }
  override async connect() {
    const adapter = await super.connect()
    patchAdapter(adapter)
    return adapter
  }
  override async connectToShadowDb() {
    const main = await this.connect()
    const name = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`
    await main.executeScript(`CREATE DATABASE "${name}"`)
    const shadow = await new OfflinePrismaPg({ ...this.cfg, database: name }).connect()
    const dispose = shadow.dispose.bind(shadow)
    shadow.dispose = async () => {
      await dispose()
      await main.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await main.dispose()
    }
    return shadow
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new OfflinePrismaPg(poolConfig(process.env.DATABASE_URL!)),
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations', seed: 'tsx prisma/seed.ts' },
})
