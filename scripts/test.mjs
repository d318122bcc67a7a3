#!/usr/bin/env node
// `npm test`: every test against real parts. Starts a throwaway embedded PostgreSQL (fresh per run)
// unless TEST_PG_ADMIN_URL names a server to use, migrates a template database, then runs
// lint, unit + integration tests (Vitest; each file gets its own database cloned from the
// template), the production build, and the end-to-end tests in Debian's Chromium (Playwright).
//   npm test -- --unit     only Vitest          npm test -- --e2e   only build + Playwright
//   npm test -- --unit lib/slots               Vitest on the files matching the filter(s)
//   npm test -- --e2e e2e/slots                Playwright on the matching spec files
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { freePort, startEmbeddedPostgres } from './embedded-postgres.mjs'

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..')
process.chdir(root)
const args = process.argv.slice(2)
const filters = args.filter((a) => !a.startsWith('--'))
const only = args.includes('--unit') ? 'unit' : args.includes('--e2e') ? 'e2e' : 'all'
const bin = (name) => path.join(root, 'node_modules', '.bin', name)
const step = (msg) => console.log(`\n=== ${msg} (${new Date().toISOString().slice(11, 19)})`)

Object.assign(process.env, { NEXT_TELEMETRY_DISABLED: '1', CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1', TZ: 'UTC' })

function run(cmd, cmdArgs, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } })
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} ${cmdArgs.join(' ')} failed (${code ?? signal})`))))
  })
}

async function createDatabase(adminUrl, name, template) {
  const c = new pg.Client({ connectionString: adminUrl })
  await c.connect()
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
  await c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`)
  await c.end()
  const u = new URL(adminUrl)
  u.pathname = `/${name}`
  return u.toString()
}

let db = null
let tmp = null
let code = 0
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bars-test-reports-'))
const totals = { passed: 0, failed: 0, skipped: 0 }
function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch {
    return null
  }
}
function tally(name, passed = 0, failed = 0, skipped = 0) {
  totals.passed += passed
  totals.failed += failed
  totals.skipped += skipped
  console.log(`${name}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
}
try {
  step('database')
  let adminUrl = process.env.TEST_PG_ADMIN_URL
  if (!adminUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bars-test-'))
    fs.chmodSync(tmp, 0o755) // the "postgres" user must reach the data directory
    db = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), database: 'postgres' })
    adminUrl = db.url
    console.log(`embedded PostgreSQL for this run: ${adminUrl}`)
  }
  const templateUrl = await createDatabase(adminUrl, 'bars_template')
  await run(bin('prisma'), ['migrate', 'deploy'], { DATABASE_URL: templateUrl })

  if (only !== 'e2e') {
    if (filters.length === 0) {
      step('lint')
      await run(bin('eslint'), ['.', '--max-warnings=0'])
    }
    step('unit and integration tests (Vitest)')
    const report = path.join(reportDir, 'vitest.json')
    await run(bin('vitest'), ['run', ...filters, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], { TEST_PG_ADMIN_URL: adminUrl, TEST_PG_TEMPLATE: 'bars_template' }).finally(() => {
      const r = readJson(report)
      if (r) tally('vitest', r.numPassedTests, r.numFailedTests, r.numPendingTests + (r.numTodoTests ?? 0))
    })
  }
  if (only !== 'unit') {
    step('production build')
    await run(bin('next'), ['build'], { DATABASE_URL: templateUrl })
    step('end-to-end tests (Playwright, Chromium)')
    const e2eUrl = await createDatabase(adminUrl, 'bars_e2e', 'bars_template')
    await run(bin('tsx'), ['prisma/seed.ts'], { DATABASE_URL: e2eUrl, BARS_LOG: 'silent' })
    const report = path.join(reportDir, 'playwright.json')
    await run(bin('playwright'), ['test', ...(only === 'e2e' ? filters : []), '--reporter=list,json'], { E2E_DATABASE_URL: e2eUrl, PLAYWRIGHT_JSON_OUTPUT_FILE: report }).finally(() => {
      const r = readJson(report)
      if (r?.stats) tally('playwright', r.stats.expected + (r.stats.flaky ?? 0), r.stats.unexpected, r.stats.skipped)
    })
  }
  console.log('\nAll tests passed.')
} catch (e) {
  console.error(`\n${e instanceof Error ? e.message : e}`)
  code = 1
} finally {
  if (db) await db.stop().catch(() => {})
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true })
  fs.rmSync(reportDir, { recursive: true, force: true })
  // One closing line for CI: "N passed, N failed" across Vitest and Playwright.
  console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`)
  if (totals.skipped > 0) {
    console.error('Skipped tests are not allowed (CONTRIBUTING.md).')
    code = 1
  }
}
process.exit(code)
