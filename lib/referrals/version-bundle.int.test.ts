import { beforeAll, describe, expect, it } from 'vitest'
import { POST } from '@/app/fhir/process-message/route'
import { prisma } from '@/lib/db/prisma'
import { freshReferral } from '@/lib/demo/demo-referrals'
import { fhirRequest, readJson } from '@/lib/testing/fhir-request'
import { seed } from '@/prisma/seed'
import { versionBundle } from './version-bundle'

beforeAll(async () => {
  await seed(new Date())
})

async function receive() {
  const bundle = freshReferral({ now: new Date() })
  const res = await POST(fhirRequest({ body: bundle }))
  expect(res.status).toBe(200)
  const reply = await readJson(res)
  const sr = reply.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'ServiceRequest').resource
  return { bundle, referralId: sr.id as string }
}

describe('the bundle is stored once (issue 10)', () => {
  it('a version made by a message points at the stored message instead of copying the bundle', async () => {
    const { bundle, referralId } = await receive()
    const [v] = await prisma().referralVersion.findMany({ where: { referralId }, include: { message: true } })
    expect(v!.bundle).toBeNull()
    expect(v!.message!.rawBundle).toEqual(bundle)
    expect(versionBundle(v!)).toEqual(bundle)
  })

  it('the message keeps the body byte for byte as the sender sent it (spacing, key order), not a re-serialisation', async () => {
    const bundle = freshReferral({ now: new Date() })
    // Pretty-printed, with the keys of the top level reversed: what jsonb (or JSON.stringify of the parse) would not keep.
    const text = JSON.stringify(Object.fromEntries(Object.entries(bundle).reverse()), null, 2)
    const res = await POST(fhirRequest({ rawBody: text }))
    expect(res.status).toBe(200)
    const [row] = await prisma().$queryRaw<{ raw: string }[]>`SELECT "rawBundle"::text AS raw FROM "InboundMessage" WHERE "bundleId" = ${bundle.id!}`
    expect(row!.raw).toBe(text)
    const reply = await readJson(res)
    const referralId = reply.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'ServiceRequest').resource.id as string
    const v = await prisma().referralVersion.findFirstOrThrow({ where: { referralId }, include: { message: true } })
    expect(versionBundle(v)).toEqual(bundle)
  })

  it('the database refuses to delete a message a version points at, and a version with neither bundle nor message', async () => {
    const { referralId } = await receive()
    const v = await prisma().referralVersion.findFirstOrThrow({ where: { referralId } })
    await expect(prisma().inboundMessage.delete({ where: { id: v.messageId! } })).rejects.toThrow(/foreign key|ReferralVersion_messageId_fkey/i)
    await expect(
      prisma().$executeRaw`INSERT INTO "ReferralVersion" (id, "referralId", version, bundle, "fhirStatus", "messageId", summary)
        VALUES (gen_random_uuid(), ${referralId}::uuid, 99, NULL, 'active', NULL, 'orphan')`,
    ).rejects.toThrow(/ReferralVersion_bundle_or_message/)
    expect(await prisma().referralVersion.count({ where: { referralId } })).toBe(1)
  })

  it('the stored body is not pglz-compressed: lz4 where the server has it, else kept uncompressed out of line', async () => {
    const { bundle } = await receive()
    const [row] = await prisma().$queryRaw<{ compression: string | null; stored: number; length: number }[]>`
      SELECT pg_column_compression("rawBundle") AS compression, pg_column_size("rawBundle") AS stored, octet_length("rawBundle"::text) AS length
      FROM "InboundMessage" WHERE "bundleId" = ${bundle.id!}`
    const [lz4] = await prisma().$queryRaw<{ available: boolean }[]>`
      SELECT 'lz4' = ANY (enumvals) AS available FROM pg_settings WHERE name = 'default_toast_compression'`
    expect(row!.length).toBeGreaterThan(10_000) // big enough that PostgreSQL would compress it by default
    if (lz4!.available) expect(row!.compression).toBe('lz4')
    else {
      expect(row!.compression).toBeNull()
      expect(row!.stored).toBe(row!.length) // the text as it is, out of line
    }
  })
})
