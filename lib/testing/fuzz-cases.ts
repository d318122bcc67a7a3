/**
 * Fuzz cases for POST /fhir/$process-message: seeded mutations of the real NHS example messages
 * (lib/bars/__fixtures__/examples) and random bundles, as fast-check arbitraries. A case is plain
 * data (a plan) turned into a request deterministically, so `caseFor(seed)` reproduces it.
 * Used by lib/messages/fuzz.int.test.ts (short run in `npm test`) and scripts/fuzz.ts (long run).
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import { freshBooking, freshBookingCancel, freshReferralMessage } from '@/lib/bars/example-messages'

const EXAMPLES_DIR = path.join(import.meta.dirname, '../bars/__fixtures__/examples')

let examples: { name: string; text: string }[] | undefined

/** Every example that is a message Bundle, as JSON text (parsed afresh for each case). */
export function exampleMessages(): { name: string; text: string }[] {
  examples ??= fs
    .readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => ({ name, text: fs.readFileSync(path.join(EXAMPLES_DIR, name), 'utf8') }))
    .filter((e) => {
      const b = JSON.parse(e.text) as { resourceType?: string; type?: string }
      return b.resourceType === 'Bundle' && b.type === 'message'
    })
  return examples
}

/** Fresh copies that the receiver accepts as they are, so mutations reach the workflows and the database. */
const FRESH = ['fresh-referral', 'fresh-booking', 'fresh-booking-cancel'] as const

type TJson = null | boolean | number | string | TJson[] | { [k: string]: TJson }

export type TMutation =
  | { op: 'drop'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'retype'; at: number; to: TJson }
  | { op: 'code'; at: number; code: string }
  | { op: 'dangling'; at: number; id: string }
  | { op: 'huge-string'; at: number; length: number }
  | { op: 'huge-array'; at: number; length: number }
  | { op: 'deep'; at: number; depth: number }
  | { op: 'nul'; at: number }
  | { op: 'surrogate'; at: number; high: boolean }
  | { op: 'bad-date'; at: number; value: string }
  | { op: 'swap-entries'; a: number; b: number }

export type TEnvelope = 'ok' | 'wrong-content-type' | 'no-content-type' | 'empty' | 'truncated' | 'not-json' | 'oversized' | 'bom'

export type TFuzzCase =
  | { kind: 'mutated'; base: string; mutations: TMutation[]; envelope: TEnvelope }
  | { kind: 'random-bundle'; bundle: TJson; envelope: TEnvelope }

const jsonLeaf: fc.Arbitrary<TJson> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 12 }),
  fc.constant({} as TJson),
  fc.constant([] as TJson[]),
  fc.constant([null] as TJson[]),
  fc.constant(''),
  fc.constant(19800101),
)

const BAD_DATES = ['not a date', '2026-02-30', '2026-13-01', '2026-02-29T10:00:00Z', '2026-01-01T25:00:00Z', '2026-01-01T10:00', '2026-01-01T10:00:00', '19800101', '1980-1-1', '', ' ', '2026-01-01T10:00:00+99:00']
const CODES = ['', ' ', 'NEW', 'new ', 'unknown', 'servicerequest-response', 'booking-request', 'servicerequest-request', 'revoked', 'cancelled', 'booked', 'active', 'validation', 'referral', 'a1t1', 'A1T1', 'zzz', 'entered-in-error', 'update', 'delete']

const mutationArb: fc.Arbitrary<TMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('drop' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('retype' as const), at: fc.nat(), to: jsonLeaf }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('code' as const), at: fc.nat(), code: fc.constantFrom(...CODES) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dangling' as const), at: fc.nat(), id: fc.uuid() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('huge-string' as const), at: fc.nat(), length: fc.integer({ min: 10_000, max: 300_000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('huge-array' as const), at: fc.nat(), length: fc.integer({ min: 1_000, max: 30_000 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deep' as const), at: fc.nat(), depth: fc.integer({ min: 30, max: 5_000 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('nul' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('surrogate' as const), at: fc.nat(), high: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('bad-date' as const), at: fc.nat(), value: fc.constantFrom(...BAD_DATES) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swap-entries' as const), a: fc.nat(), b: fc.nat() }) },
)

const envelopeArb: fc.Arbitrary<TEnvelope> = fc.oneof(
  { weight: 40, arbitrary: fc.constant('ok' as const) },
  { weight: 1, arbitrary: fc.constantFrom<TEnvelope>('wrong-content-type', 'no-content-type', 'empty', 'truncated', 'not-json', 'oversized', 'bom') },
)

const resourceTypes = fc.constantFrom('MessageHeader', 'ServiceRequest', 'Patient', 'Appointment', 'Slot', 'Encounter', 'CarePlan', 'Flag', 'Organization', 'Bundle', 'x', '')

/** A random bundle-shaped value: some of the right keys, random values beneath. */
const randomBundleArb: fc.Arbitrary<TJson> = fc.record(
  {
    resourceType: fc.oneof(fc.constant('Bundle'), jsonLeaf),
    type: fc.oneof(fc.constant('message'), jsonLeaf),
    id: fc.oneof(fc.uuid(), jsonLeaf),
    meta: fc.oneof(fc.record({ versionId: fc.oneof(fc.constant('1.0.0'), jsonLeaf) }), jsonLeaf),
    entry: fc.oneof(
      fc.array(
        fc.oneof(
          fc.record({ fullUrl: fc.oneof(fc.uuid().map((u) => `urn:uuid:${u}`), jsonLeaf), resource: fc.oneof(fc.record({ resourceType: resourceTypes }, { requiredKeys: [] }).chain((r) => fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<TJson>, { maxKeys: 5 }).map((d) => ({ ...d, ...r }))), jsonLeaf) }, { requiredKeys: [] }),
          jsonLeaf,
        ),
        { maxLength: 6 },
      ),
      jsonLeaf,
    ),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<TJson>

export const fuzzCaseArb: fc.Arbitrary<TFuzzCase> = fc.oneof(
  {
    weight: 9,
    arbitrary: fc.record({
      kind: fc.constant('mutated' as const),
      base: fc.oneof({ weight: 2, arbitrary: fc.constantFrom(...FRESH) }, { weight: 3, arbitrary: fc.constantFrom(...exampleMessages().map((e) => e.name)) }),
      mutations: fc.array(mutationArb, { minLength: 0, maxLength: 3 }),
      envelope: envelopeArb,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('random-bundle' as const), bundle: randomBundleArb, envelope: envelopeArb }) },
)

/** The case seed `seed` stands for (fast-check, deterministic). */
export function caseFor(seed: number): TFuzzCase {
  return fc.sample(fuzzCaseArb, { seed, numRuns: 1 })[0]!
}

type TSlot = { parent: TJson[] | { [k: string]: TJson }; key: number | string; value: TJson }

/** Every place in a JSON value (iteratively), in a fixed order. */
function slots(root: TJson): TSlot[] {
  const out: TSlot[] = []
  const stack: TJson[] = [root]
  while (stack.length) {
    const v = stack.pop()!
    if (Array.isArray(v)) {
      v.forEach((c, i) => {
        out.push({ parent: v, key: i, value: c })
        stack.push(c)
      })
    } else if (v && typeof v === 'object') {
      for (const [k, c] of Object.entries(v)) {
        out.push({ parent: v, key: k, value: c })
        stack.push(c)
      }
    }
  }
  return out
}

function set(s: TSlot, value: TJson) {
  ;(s.parent as Record<string | number, TJson>)[s.key] = value
}

function pick<T>(xs: T[], n: number): T | undefined {
  return xs.length ? xs[n % xs.length] : undefined
}

// Deep nesting is spliced into the JSON text (JSON.stringify of a 5,000-deep value overflows the stack).
const DEEP_MARK = /"__fuzz_deep_(\d+)__"/g
const deepText = (depth: number) => `${'{"a":['.repeat(Math.ceil(depth / 2))}1${']}'.repeat(Math.ceil(depth / 2))}`

function applyMutation(root: TJson, m: TMutation): void {
  if (m.op === 'swap-entries') {
    const entries = root && typeof root === 'object' && !Array.isArray(root) ? root.entry : undefined
    if (Array.isArray(entries) && entries.length > 1) {
      const a = m.a % entries.length
      const b = m.b % entries.length
      ;[entries[a], entries[b]] = [entries[b]!, entries[a]!]
    }
    return
  }
  const all = slots(root)
  const strings = () => all.filter((s) => typeof s.value === 'string')
  switch (m.op) {
    case 'drop': {
      const s = pick(all, m.at)
      if (!s) return
      if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 1)
      else delete s.parent[s.key as string]
      return
    }
    case 'duplicate': {
      const s = pick(all, m.at)
      if (!s) return
      if (Array.isArray(s.parent)) s.parent.push(structuredClone(s.value))
      else set(s, [structuredClone(s.value), structuredClone(s.value)])
      return
    }
    case 'retype': {
      const s = pick(all, m.at)
      if (s) set(s, structuredClone(m.to))
      return
    }
    case 'code': {
      const s = pick(
        all.filter((x) => ['code', 'status', 'type', 'use', 'system', 'resourceType', 'versionId'].includes(String(x.key))),
        m.at,
      )
      if (s) set(s, m.code)
      return
    }
    case 'dangling': {
      const s = pick(
        all.filter((x) => x.key === 'reference' || x.key === 'fullUrl'),
        m.at,
      )
      if (s) set(s, m.at % 2 ? `urn:uuid:${m.id}` : `ServiceRequest/${m.id}`)
      return
    }
    case 'huge-string': {
      const s = pick(strings(), m.at)
      if (s) set(s, 'A'.repeat(m.length))
      return
    }
    case 'huge-array': {
      const s = pick(all, m.at)
      // Copies of a primitive; an object or list becomes empty objects (copies of a whole Bundle.entry would be gigabytes).
      if (s) set(s, Array.from({ length: m.length }, () => (s.value && typeof s.value === 'object' ? {} : s.value)))
      return
    }
    case 'deep': {
      const s = pick(all, m.at)
      if (s) set(s, `__fuzz_deep_${m.depth}__`)
      return
    }
    case 'nul': {
      const s = pick(strings(), m.at)
      if (s) set(s, `${String(s.value).slice(0, 3)}\u0000${String(s.value).slice(3)}`)
      return
    }
    case 'surrogate': {
      const s = pick(strings(), m.at)
      if (s) set(s, `${String(s.value)}${m.high ? '\ud83d' : '\ude00'}`)
      return
    }
    case 'bad-date': {
      const s = pick(
        all.filter((x) => typeof x.value === 'string' && /^\d{4}-\d{2}/.test(x.value)),
        m.at,
      )
      if (s) set(s, m.value)
      return
    }
  }
}

function baseBundle(name: string, now: Date): TJson {
  if (name === 'fresh-referral') return freshReferralMessage({ now }) as unknown as TJson
  if (name === 'fresh-booking') return freshBooking({ now }) as unknown as TJson
  if (name === 'fresh-booking-cancel') return freshBookingCancel({ now }) as unknown as TJson
  const ex = exampleMessages().find((e) => e.name === name)
  if (!ex) throw new Error(`no example ${name}`)
  return JSON.parse(ex.text) as TJson
}

export interface TFuzzRequest {
  body: string
  contentType?: string
}

let oversized: string | undefined

/** The request body and content type a case stands for. `limit` is the body size limit in bytes. */
export function requestFor(c: TFuzzCase, now: Date, limit: number): TFuzzRequest {
  let value: TJson
  if (c.kind === 'mutated') {
    value = baseBundle(c.base, now)
    for (const m of c.mutations) applyMutation(value, m)
  } else {
    value = structuredClone(c.bundle)
  }
  const text = (JSON.stringify(value) ?? '').replace(DEEP_MARK, (_, n: string) => deepText(Number(n)))
  const fhir = 'application/fhir+json'
  switch (c.envelope) {
    case 'ok':
      return { body: text, contentType: fhir }
    case 'wrong-content-type':
      return { body: text, contentType: 'text/plain' }
    case 'no-content-type':
      return { body: text }
    case 'empty':
      return { body: '', contentType: fhir }
    case 'truncated':
      return { body: text.slice(0, Math.max(1, Math.floor(text.length / 2))), contentType: fhir }
    case 'not-json':
      return { body: `<Bundle>${text.slice(0, 100)}</Bundle>`, contentType: fhir }
    case 'bom':
      return { body: `\ufeff${text}`, contentType: fhir }
    case 'oversized':
      oversized ??= JSON.stringify({ resourceType: 'Bundle', type: 'message', padding: 'x'.repeat(limit + 1) })
      return { body: oversized, contentType: fhir }
  }
}

/** A one-line description of a case, for failure reports (no body content). */
export function describeCase(c: TFuzzCase): string {
  if (c.kind === 'random-bundle') return `random bundle, envelope ${c.envelope}`
  return `${c.base}: ${c.mutations.map((m) => m.op).join(', ') || 'unmutated'}, envelope ${c.envelope}`
}
