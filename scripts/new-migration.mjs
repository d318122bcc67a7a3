#!/usr/bin/env node
// `npm run db:migration -- <name>`: write prisma/migrations/<timestamp>_<name>/migration.sql for the
// changes to prisma/schema.prisma since the last commit that added a migration.
// Why not `prisma migrate dev`: on this toolchain (Prisma 6.19, Wasm schema engine, offline) it
// panics ("RuntimeError: unreachable") when introspecting a database that has our trigger
// function; diffing two datamodels needs no database at all. Apply with `npx prisma migrate deploy`.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort, startEmbeddedPostgres } from './embedded-postgres.mjs'

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]/gi, '_').toLowerCase()
if (!name) {
  console.error('usage: npm run db:migration -- <name>')
  process.exit(2)
}
const lastMigrationCommit = execFileSync('git', ['log', '-1', '--format=%H', '--', 'prisma/migrations'], { encoding: 'utf8' }).trim()
const before = path.join(os.tmpdir(), `schema-before-${process.pid}.prisma`)
fs.writeFileSync(before, lastMigrationCommit ? execFileSync('git', ['show', `${lastMigrationCommit}:prisma/schema.prisma`]) : '')
// The diff itself reads no database, but the CLI's driver adapter connects at start-up: without a
// DATABASE_URL, give it a throwaway embedded PostgreSQL for the few seconds the diff takes.
let db = null
let tmp = null
let databaseUrl = process.env.DATABASE_URL
if (!databaseUrl) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bars-migration-'))
  fs.chmodSync(tmp, 0o755)
  db = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), database: 'diff' })
  databaseUrl = db.url
}
let sql
try {
  sql = execFileSync(
    'node_modules/.bin/prisma',
    ['migrate', 'diff', '--from-schema-datamodel', before, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
    { encoding: 'utf8', env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: '1' }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
} finally {
  fs.rmSync(before)
  if (db) await db.stop().catch(() => {})
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
}
if (!sql.trim() || /empty migration/i.test(sql)) {
  console.log('No schema changes since the last migration.')
  process.exit(0)
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
const dir = path.join('prisma', 'migrations', `${stamp}_${name}`)
fs.mkdirSync(dir, { recursive: true })
fs.writeFileSync(path.join(dir, 'migration.sql'), sql)
console.log(`Wrote ${dir}/migration.sql — review it, then: npx prisma migrate deploy`)
