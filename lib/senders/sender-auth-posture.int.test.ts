import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { GET as metadata } from '@/app/fhir/metadata/route'
import { prisma } from '@/lib/db/prisma'
import { env } from '@/lib/env'
import { fhirRequest, readJson } from '@/lib/testing/fhir-request'
import { expectValidFhir } from '@/lib/testing/fhir-validate'
import { withEnv } from '@/lib/testing/test-env'
import { seed } from '@/prisma/seed'
import { hashBearerToken } from './authenticate-sender'
import { UNAUTHENTICATED_NOTICE } from './sender-auth-posture'

const TOKEN = 'posture-test-token-0123456789abcdef'
let restore: (() => void) | undefined
afterEach(() => {
  restore?.()
  restore = undefined
})

beforeAll(async () => {
  await seed(new Date())
  await prisma().senderSystem.update({ where: { dosServiceId: '2222222222' }, data: { bearerTokenHash: hashBearerToken(TOKEN) } })
})

describe('production refuses to run without sender authentication', () => {
  const external = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://bars:secret@db.example.nhs.uk:5432/bars', BARS_REQUIRE_SENDER_AUTH: undefined, BARS_ALLOW_UNAUTHENTICATED_SENDERS: undefined }

  it('NODE_ENV=production + external database + no BARS_REQUIRE_SENDER_AUTH → the environment is refused', () => {
    restore = withEnv(external)
    expect(() => env()).toThrow(/refusing to run production without sender authentication/)
  })

  it('allowed with BARS_REQUIRE_SENDER_AUTH=true, with the explicit BARS_ALLOW_UNAUTHENTICATED_SENDERS=true, or on a database on this machine', () => {
    for (const extra of [{ BARS_REQUIRE_SENDER_AUTH: 'true' }, { BARS_ALLOW_UNAUTHENTICATED_SENDERS: 'true' }, { DATABASE_URL: 'postgresql://postgres:postgres@127.0.0.1:54329/bars' }]) {
      restore = withEnv({ ...external, ...extra })
      expect(() => env()).not.toThrow()
      restore()
      restore = undefined
    }
  })
})

describe('GET /fhir/metadata says so when senders are not authenticated', () => {
  it('without BARS_REQUIRE_SENDER_AUTH: the warning is in the CapabilityStatement description, still valid FHIR', async () => {
    const res = await metadata(fhirRequest({ method: 'GET', path: '/fhir/metadata' }))
    expect(res.status).toBe(200)
    const cs = await readJson(res)
    expect(cs.description).toContain(UNAUTHENTICATED_NOTICE)
    expectValidFhir(cs as any)
  })

  it('with BARS_REQUIRE_SENDER_AUTH=true: no warning', async () => {
    restore = withEnv({ BARS_REQUIRE_SENDER_AUTH: 'true' })
    const res = await metadata(fhirRequest({ method: 'GET', path: '/fhir/metadata', headers: { authorization: `Bearer ${TOKEN}` } }))
    expect(res.status).toBe(200)
    expect((await readJson(res)).description).not.toContain('WARNING')
  })
})
