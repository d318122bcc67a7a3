/**
 * The audit trail keeps 8 years of rows: every filter of the audit search (and the
 * response→outbox lookup) must be served by an index. These tests capture the SQL that the real
 * repository code sends (a Prisma client with query logging installed as the app's client), then
 * run EXPLAIN (FORMAT JSON) of exactly that SQL, with its parameters, on a table of realistic size
 * and spread, and assert the plan reads the intended index and never scans the table.
 */
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PrismaClient } from '@/generated/prisma/client'
import { messageRepository } from '@/lib/messages/message-repository'
import { auditRepository, type TAuditFilter } from './audit-repository'

const captured: { query: string; params: string }[] = []
const logged = new PrismaClient({
  adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL!, max: 2 }),
  log: [{ emit: 'event', level: 'query' }],
})
logged.$on('query', (e) => captured.push({ query: e.query, params: e.params }))
;(globalThis as unknown as { barsPrisma?: PrismaClient }).barsPrisma = logged

const ROWS = 60_000
const ACTIONS = ['referral.view', 'referral.accept', 'referral.reject', 'auth.sign-in', 'auth.sign-out', 'fhir.POST', 'fhir.GET', 'slot.block', 'booking.cancel', 'audit.search']
let db: pg.Client

beforeAll(async () => {
  db = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await db.connect()
  // 8 years of rows, oldest first (ids rise with time, as they do), with realistic spreads: 500 staff,
  // 20,000 patients and records, 1 % failures, unique request and correlation ids, a rare action.
  await db.query(
    `INSERT INTO "AuditEvent" ("at", "actorType", "actorId", "action", "entityType", "entityId", "patientNhs", "requestId", "correlationId", "outcome")
     SELECT now() - make_interval(mins => (($1 - i) * (8 * 365 * 24 * 60 / $1))::int),
            'USER', 'user-' || (i % 500),
            CASE WHEN i % 1000 = 0 THEN 'audit.export' ELSE ($2::text[])[1 + i % 10] END,
            'Referral', 'ref-' || (i % 20000), lpad((9000000000 + i % 20000)::text, 10, '0'),
            md5('req' || i), md5('cor' || i),
            CASE WHEN i % 100 = 0 THEN 'failure' ELSE 'success' END
     FROM generate_series(1, $1) AS i`,
    [ROWS, ACTIONS],
  )
  await db.query(
    `INSERT INTO "OutboxMessage" ("id", "targetEndpoint", "requestId", "correlationId", "bundle", "kind")
     SELECT gen_random_uuid(), 'https://sender.example/fhir', gen_random_uuid(), gen_random_uuid(),
            jsonb_build_object('resourceType', 'Bundle', 'id', 'bundle-' || i, 'type', 'message'), 'accept'
     FROM generate_series(1, 20000) AS i`,
  )
  await db.query('ANALYZE "AuditEvent"; ANALYZE "OutboxMessage"')
})

afterAll(async () => {
  await db.end()
})

interface TPlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  Plans?: TPlanNode[]
}

function nodes(n: TPlanNode): TPlanNode[] {
  return [n, ...(n.Plans ?? []).flatMap(nodes)]
}

/** Run `work`, take the last SQL statement it sent, and EXPLAIN it with its parameters. */
async function planOf(work: () => Promise<unknown>): Promise<TPlanNode[]> {
  captured.length = 0
  await work()
  const sent = captured.filter((c) => /^\s*(SELECT|WITH)/i.test(c.query)).at(-1)
  expect(sent, 'the repository sent a query').toBeDefined()
  const params = JSON.parse(sent!.params) as unknown[]
  const res = await db.query<{ 'QUERY PLAN': { Plan: TPlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${sent!.query}`, params)
  return nodes(res.rows[0]!['QUERY PLAN'][0]!.Plan)
}

const INDEX_SCANS = ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan']

function expectIndex(plan: TPlanNode[], table: string, ...indexNames: string[]) {
  const summary = plan.map((n) => `${n['Node Type']}${n['Index Name'] ? ` on ${n['Index Name']}` : n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}`)
  expect(plan.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === table), summary.join(' / ')).toEqual([])
  for (const name of indexNames) {
    expect(
      plan.some((n) => INDEX_SCANS.includes(n['Node Type']) && n['Index Name'] === name),
      `${name} in plan: ${summary.join(' / ')}`,
    ).toBe(true)
  }
}

const search = (filter: TAuditFilter) => () => auditRepository.search(filter, { take: 51 })

describe('audit search filters are served by indexes (EXPLAIN of the real queries)', () => {
  it('staff user', async () => {
    expectIndex(await planOf(search({ actorIds: ['user-7'] })), 'AuditEvent', 'AuditEvent_actorId_id_idx')
  })

  it('several staff users: each read on (actorId, id), merged into exactly the newest rows of any of them', async () => {
    const users = ['user-7', 'user-8', 'user-9']
    captured.length = 0
    const page = await auditRepository.search({ actorIds: users }, { take: 51, before: '50000' })
    const reads = captured.filter((c) => /^\s*SELECT/i.test(c.query))
    expect(reads).toHaveLength(users.length)
    for (const r of reads) {
      const res = await db.query<{ 'QUERY PLAN': { Plan: TPlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${r.query}`, JSON.parse(r.params) as unknown[])
      expectIndex(nodes(res.rows[0]!['QUERY PLAN'][0]!.Plan), 'AuditEvent', 'AuditEvent_actorId_id_idx')
    }
    const truth = await db.query<{ t: string }>(`SELECT id::text AS t FROM "AuditEvent" WHERE "actorId" = ANY($1) AND id < 50000 ORDER BY "AuditEvent".id DESC LIMIT 51`, [users])
    expect(page.map((r) => r.id)).toEqual(truth.rows.map((r) => r.t))
  })

  it('patient NHS number', async () => {
    expectIndex(await planOf(search({ patientNhs: '9000000123' })), 'AuditEvent', 'AuditEvent_patientNhs_id_idx')
  })

  it('case reference (the record id)', async () => {
    expectIndex(await planOf(search({ entityId: 'ref-123' })), 'AuditEvent', 'AuditEvent_entityId_id_idx')
  })

  it('action starts with', async () => {
    expectIndex(await planOf(search({ actionPrefix: 'audit.exp' })), 'AuditEvent', 'AuditEvent_action_prefix_idx')
  })

  it('outcome failure', async () => {
    expectIndex(await planOf(search({ outcome: 'failure' })), 'AuditEvent', 'AuditEvent_outcome_id_idx')
  })

  it('X-Request-Id or X-Correlation-Id (either column)', async () => {
    expectIndex(await planOf(search({ transactionId: 'deadbeef' })), 'AuditEvent', 'AuditEvent_requestId_idx', 'AuditEvent_correlationId_idx')
  })

  it('a date range five years ago', async () => {
    const from = new Date(Date.now() - 5 * 365 * 24 * 3600_000)
    const to = new Date(from.getTime() + 7 * 24 * 3600_000)
    expectIndex(await planOf(search({ from, to })), 'AuditEvent', 'AuditEvent_at_idx')
  })

  it("a record's audit tab", async () => {
    const plan = await planOf(() => auditRepository.forRecord('Referral', 'ref-123'))
    expectIndex(plan, 'AuditEvent')
    expect(plan.some((n) => n['Index Name'] === 'AuditEvent_entityType_entityId_idx' || n['Index Name'] === 'AuditEvent_entityId_id_idx')).toBe(true)
  })
})

describe('the response→outbox lookup is served by an index', () => {
  it('finds the message we sent by its Bundle.id (MessageHeader.response.identifier)', async () => {
    const plan = await planOf(() => logged.$transaction((tx) => messageRepository.findOutboxByBundleId(tx, 'bundle-4242')))
    expectIndex(plan, 'OutboxMessage', 'OutboxMessage_bundle_id_idx')
  })
})
