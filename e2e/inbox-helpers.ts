import { spawn, type ChildProcess } from 'node:child_process'
import { expect } from '@playwright/test'
import pg from 'pg'
import { fixture } from './support'

/** The 111 simulator's port for this run: E2E_PORT + 1008 (3103 → 4111), so parallel worktrees do not collide. */
export const SIM_PORT = Number(process.env.E2E_SIM_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1008)
export const SIM = `http://127.0.0.1:${SIM_PORT}`

export interface TReceived {
  at: string
  headers: Record<string, string>
  body: any
  /** Set by the simulator for App 4 validation responses: 'conformant' or why not. */
  conformance?: string
}

function spawnScript(script: string, args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn('node_modules/.bin/tsx', [script, ...args], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL ?? '', BARS_LOG: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${script} did not start`)), 30_000)
    child.stdout!.on('data', (d: Buffer) => {
      if (ready.test(d.toString())) {
        clearTimeout(t)
        resolve(child)
      }
    })
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(d))
    child.on('exit', (code) => {
      clearTimeout(t)
      reject(new Error(`${script} exited with ${code}`))
    })
  })
}

export const startSimulator = () => spawnScript('scripts/simulator.ts', ['--listen-only', '--port', String(SIM_PORT)], /listening/)
export const startWorker = () => spawnScript('scripts/outbox-worker.ts', ['--poll-ms', '200', '--base-delay-ms', '300', '--max-delay-ms', '1000'], /delivering/)

export async function stop(child: ChildProcess | null | undefined) {
  if (!child || child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

/** Point the demo sender's response URL at this run's simulator. */
export async function useSimulatorForResponses() {
  const c = new pg.Client({ connectionString: process.env.E2E_DATABASE_URL })
  await c.connect()
  await c.query(`UPDATE "SenderSystem" SET "responseBaseUrl" = $1`, [`${SIM}/fhir`])
  await c.end()
}

export async function received(): Promise<TReceived[]> {
  const res = await fetch(`${SIM}/received`)
  return ((await res.json()) as { received: TReceived[] }).received
}

/** Messages the simulator got for one conversation, waiting until `count` have arrived. */
export async function receivedFor(correlationId: string, count: number, timeout = 15_000): Promise<TReceived[]> {
  let got: TReceived[] = []
  await expect
    .poll(
      async () => {
        got = (await received().catch(() => [])).filter((m) => m.headers['x-correlation-id'] === correlationId)
        return got.length
      },
      { timeout },
    )
    .toBe(count)
  return got
}

/**
 * A fresh copy of the real 111→ED example (REFREQ01): new Bundle.id, new patient, deadline from now,
 * no booking link. Its safeguarding flag is made current (the example's ended on 20 November 2021)
 * unless `expiredSafeguarding` keeps the example's dates.
 */
export function freshReferral(opts: { given: string; family: string; nhsNumber?: string | null; deadlineMinutes?: number; safeguarding?: boolean; sparse?: boolean; expiredSafeguarding?: boolean }) {
  const bundle = fixture('REFREQ01_Referral_Service_Request_New_Full_111_to_ED.json') as any
  const now = new Date()
  bundle.id = crypto.randomUUID()
  bundle.timestamp = now.toISOString()
  for (const e of bundle.entry) {
    const r = e.resource
    if (r.meta) r.meta.lastUpdated = now.toISOString()
    if (r.resourceType === 'ServiceRequest') {
      r.supportingInfo = r.supportingInfo.filter((s: any) => !s.reference.startsWith('Appointment/'))
      r.occurrencePeriod = { start: now.toISOString(), end: new Date(now.getTime() + (opts.deadlineMinutes ?? 30) * 60_000).toISOString() }
      r.authoredOn = now.toISOString()
    }
    if (r.resourceType === 'Flag' && JSON.stringify(r.category).includes('"SG"') && !opts.expiredSafeguarding) {
      r.period = { start: r.period?.start, end: new Date(now.getTime() + 30 * 86_400_000).toISOString() }
    }
    if (r.resourceType === 'Patient') {
      r.name = [{ use: 'official', family: opts.family, given: [opts.given] }]
      if (opts.nhsNumber === null) r.identifier = []
      else if (opts.nhsNumber) r.identifier[0].value = opts.nhsNumber
    }
  }
  if (opts.safeguarding === false || opts.sparse) {
    const drop = new Set(['urn:uuid:ea37a499-245c-40e9-b0fa-df4383c4d413'])
    bundle.entry = bundle.entry.filter((e: any) => !drop.has(e.fullUrl))
    for (const e of bundle.entry) if (e.resource.resourceType === 'CarePlan') e.resource.supportingInfo = e.resource.supportingInfo.filter((s: any) => !drop.has(s.reference))
  }
  if (opts.sparse) {
    // Only what the MessageDefinition requires; a patient with a name and nothing else.
    const optional = new Set(['MedicationStatement', 'AllergyIntolerance', 'Flag', 'Observation', 'QuestionnaireResponse'])
    const kept = bundle.entry.filter((e: any) => !optional.has(e.resource.resourceType))
    const keptUrls = new Set(kept.map((e: any) => e.fullUrl))
    bundle.entry = kept
    for (const e of bundle.entry) {
      const r = e.resource
      if (r.resourceType === 'Patient') {
        delete r.birthDate
        delete r.address
        delete r.contact
        delete r.gender
        delete r.extension
        delete r.communication
      }
      if (r.resourceType === 'ServiceRequest') {
        r.supportingInfo = (r.supportingInfo ?? []).filter((s: any) => keptUrls.has(s.reference))
        delete r.patientInstruction
      }
      if (r.resourceType === 'CarePlan') {
        r.supportingInfo = (r.supportingInfo ?? []).filter((s: any) => keptUrls.has(s.reference))
        r.activity = [{ outcomeCodeableConcept: [{ text: 'No further details' }] }]
      }
    }
  }
  return bundle
}
