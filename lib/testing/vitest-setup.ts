/**
 * Runs before every test file. When `npm test` has started a PostgreSQL (TEST_PG_ADMIN_URL and a
 * migrated template database), each test file gets its own fresh database cloned from the
 * template, so integration tests are isolated and can run in parallel. Pure unit tests need none.
 */
import pg from 'pg'
import { afterAll } from 'vitest'

const admin = process.env.TEST_PG_ADMIN_URL
const template = process.env.TEST_PG_TEMPLATE ?? 'bars_template'
process.env.BARS_LOG ??= 'silent'
process.env.NEXTAUTH_SECRET ??= 'vitest-only-secret-0123456789abcdef0123456789'

if (admin) {
  const name = `bars_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const client = new pg.Client({ connectionString: admin })
  await client.connect()
  await client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
  await client.end()
  const url = new URL(admin)
  url.pathname = `/${name}`
  process.env.DATABASE_URL = url.toString()

  afterAll(async () => {
    const { prisma } = await import('@/lib/db/prisma')
    await prisma().$disconnect()
    const { closeSqlPool } = await import('@/lib/db/sql')
    await closeSqlPool()
    const c = new pg.Client({ connectionString: admin })
    await c.connect()
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await c.end()
  })
}
