import { staffActor, type TStaffActor } from '@/lib/audit/actor'
import net from 'node:net'
import type { Bundle } from '@medplum/fhirtypes'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { processMessage } from '@/lib/messages/process-message'
import { acceptReferral } from '@/lib/referrals/accept-referral'
import { serviceRepository } from '@/lib/services/service-repository'
import { seed } from '@/prisma/seed'
import { startSimulator, type TSimulator } from '@/scripts/simulator'
import { deliverDueMessages } from './deliver-outbox'
import { resendOutboxMessage } from './resend-outbox-message'
import type { TRetryPolicy } from './retry-policy'

const policy: TRetryPolicy = { baseDelayMs: 1000, maxDelayMs: 8000, maxAttempts: 5 }
let sim: TSimulator
let port: number
let clinician: TStaffActor

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port
      s.close(() => resolve(p))
    })
  })
}

beforeAll(async () => {
  await seed(new Date())
  port = await freePort()
  sim = await startSimulator({ port })
  await prisma().senderSystem.updateMany({ data: { responseBaseUrl: sim.url } })
  clinician = staffActor(await prisma().staffUser.findUniqueOrThrow({ where: { email: 'clinician@demo.nhs.uk' } }))
})
afterAll(() => sim.close())
beforeEach(async () => {
  sim.received.length = 0
  sim.setFailure(null)
  // Nothing left over from another test is due.
  await prisma().outboxMessage.updateMany({ where: { status: 'PENDING' }, data: { status: 'DELIVERED' } })
})

async function acceptedReferral() {
  const ids = { requestId: crypto.randomUUID(), correlationId: crypto.randomUUID() }
  const service = (await serviceRepository.findByDosId('111111111'))!
  const bundle = freshReferral({ now: new Date() })
  const reply = await processMessage({ service, ...ids, nhsd: { undecodable: [] }, auditHeaders: {}, body: bundle })
  const id = reply.entry!.find((e) => e.resource!.resourceType === 'ServiceRequest')!.resource!.id!
  const { outboxId } = await acceptReferral({ referralId: id, version: 1, actor: clinician })
  return { id, outboxId, bundle, ...ids }
}

const later = (ms: number) => () => new Date(Date.now() + ms)

describe('outbox delivery', () => {
  it('posts the response to the sender once, with the BaRS headers', async () => {
    const r = await acceptedReferral()
    const msg = await prisma().outboxMessage.findUniqueOrThrow({ where: { id: r.outboxId } })
    expect(await deliverDueMessages({ policy })).toMatchObject({ claimed: 1, delivered: 1 })
    expect(await deliverDueMessages({ policy })).toMatchObject({ claimed: 0 })
    expect(sim.received).toHaveLength(1)
    const got = sim.received[0]!
    expect(got.path).toBe('/fhir/$process-message')
    expect(got.headers['x-request-id']).toBe(msg.requestId)
    expect(got.headers['x-request-id']).not.toBe(r.requestId)
    expect(got.headers['x-correlation-id']).toBe(r.correlationId)
    expect(JSON.parse(Buffer.from(got.headers['nhsd-target-identifier']!, 'base64').toString())).toEqual({ system: 'https://fhir.nhs.uk/Id/dos-service-id', value: '2222222222' })
    expect((got.body as Bundle).entry![0]!.resource).toMatchObject({ response: { identifier: r.bundle.id } })
    expect(await prisma().outboxMessage.findUniqueOrThrow({ where: { id: r.outboxId } })).toMatchObject({ status: 'DELIVERED', attempts: 1 })
  })

  it('retries 503 and network errors with back-off and the identical body and ids', async () => {
    const r = await acceptedReferral()
    sim.setFailure(503)
    expect(await deliverDueMessages({ policy })).toMatchObject({ retried: 1 })
    const after1 = await prisma().outboxMessage.findUniqueOrThrow({ where: { id: r.outboxId } })
    expect(after1).toMatchObject({ status: 'PENDING', attempts: 1, lastError: 'HTTP 503' })
    expect(after1.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 500)
    // Not due yet: nothing is sent.
    expect(await deliverDueMessages({ policy })).toMatchObject({ claimed: 0 })

    await sim.close() // the sender goes down altogether
    expect(await deliverDueMessages({ policy, now: later(1500) })).toMatchObject({ retried: 1 })
    const after2 = await prisma().outboxMessage.findUniqueOrThrow({ where: { id: r.outboxId } })
    expect(after2.lastError).toMatch(/^network error/)
    expect(after2.nextAttemptAt.getTime() - after1.nextAttemptAt.getTime()).toBeGreaterThan(1000)

    sim = await startSimulator({ port }) // …and comes back
    expect(await deliverDueMessages({ policy, now: later(10_000) })).toMatchObject({ delivered: 1 })
    expect(sim.received).toHaveLength(1)
    expect(sim.received[0]!.body).toEqual(after1.bundle)
    expect(sim.received[0]!.headers['x-request-id']).toBe(after1.requestId)
  })

  it('treats 409 duplicate as delivered', async () => {
    const r = await acceptedReferral()
    await deliverDueMessages({ policy })
    await prisma().outboxMessage.update({ where: { id: r.outboxId }, data: { status: 'PENDING' } })
    expect(await deliverDueMessages({ policy })).toMatchObject({ delivered: 1 })
    expect(sim.duplicates()).toBe(1)
    expect(sim.received).toHaveLength(1)
    expect((await prisma().outboxMessage.findUniqueOrThrow({ where: { id: r.outboxId } })).lastError).toMatch(/duplicate/)
  })

  it('dead-letters a 4xx at once, and an administrator can resend it', async () => {
    const r = await acceptedReferral()
    sim.setFailure(422)
    expect(await deliverDueMessages({ policy })).toMatchObject({ dead: 1 })
    expect(await prisma().outboxMessage.findUniqueOrThrow({ where: { id: r.outboxId } })).toMatchObject({ status: 'DEAD', lastError: 'HTTP 422 (transient)' })
    sim.setFailure(null)
    const admin = await prisma().staffUser.findUniqueOrThrow({ where: { email: 'admin@demo.nhs.uk' } })
    await resendOutboxMessage(r.outboxId, { userId: admin.id })
    expect(await deliverDueMessages({ policy })).toMatchObject({ delivered: 1 })
    expect(sim.received).toHaveLength(1)
  })

  it('lets several workers run at once without sending anything twice (FOR UPDATE SKIP LOCKED)', async () => {
    const made = await Promise.all([acceptedReferral(), acceptedReferral(), acceptedReferral(), acceptedReferral()])
    const reports = await Promise.all([1, 2, 3].map(() => deliverDueMessages({ policy, batchSize: 2 })))
    const more = await deliverDueMessages({ policy, batchSize: 10 })
    expect(reports.reduce((n, x) => n + x.delivered, 0) + more.delivered).toBe(4)
    expect(sim.received.map((x) => x.headers['x-correlation-id']).sort()).toEqual(made.map((m) => m.correlationId).sort())
  })
})
