import { describe, expect, it } from 'vitest'
import { caught } from '@/lib/testing/caught'
import { checkJsonValue, jsonTextDepth, MAX_JSON_ARRAY, readJsonBody } from './read-json-body'

const opts = { limit: 1024 * 1024, mediaType: /^application\/(fhir\+)?json/, mediaName: 'application/fhir+json' }
const req = (body: string, type = 'application/fhir+json') => new Request('http://x/', { method: 'POST', headers: { 'content-type': type }, body })
async function refusal(body: string) {
  try {
    await readJsonBody(req(body), opts)
  } catch (e) {
    return e as { kind: string; expression?: string[]; message: string }
  }
  throw new Error('not refused')
}

describe('readJsonBody', () => {
  it('reads JSON, and an empty body as undefined', async () => {
    expect(await readJsonBody(req('{"resourceType":"Bundle","a":[1,"x"]}'), opts)).toEqual({ resourceType: 'Bundle', a: [1, 'x'] })
    expect(await readJsonBody(req('  '), opts)).toBeUndefined()
  })

  it('refuses NUL (after JSON decoding) in a string or a key, naming the element', async () => {
    expect(await refusal('{"resourceType":"Bundle","entry":[{"resource":{"name":"a\\u0000b"}}]}')).toMatchObject({ kind: 'value', expression: ['Bundle.entry[0].resource.name'] })
    expect((await refusal('{"a\\u0000":1}')).kind).toBe('value')
  })

  it('refuses lone surrogates, keeps pairs', async () => {
    expect(await refusal('{"resourceType":"Bundle","id":"\\ud800"}')).toMatchObject({ kind: 'value', expression: ['Bundle.id'] })
    expect((await refusal('{"x":"\\udc00a"}')).expression).toEqual(['$.x'])
    expect(await readJsonBody(req('{"x":"\\ud83d\\ude00"}'), opts)).toEqual({ x: '😀' })
  })

  it('refuses nesting deeper than 64 before parsing, even 100,000 deep (no stack overflow)', async () => {
    expect((await refusal(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).kind).toBe('structure')
    expect((await refusal(`${'{"a":'.repeat(65)}1${'}'.repeat(65)}`)).message).toContain('64')
    expect(await readJsonBody(req(`${'['.repeat(60)}${']'.repeat(60)}`), opts)).toBeDefined()
  })

  it('brackets inside strings do not count as nesting', () => {
    expect(jsonTextDepth(JSON.stringify({ a: '[[[[{{{{\\"[[' }))).toBe(1)
  })

  it('refuses an array longer than the limit', () => {
    const e = caught(() => checkJsonValue({ entry: new Array(MAX_JSON_ARRAY + 1).fill(0) }, 'Bundle'))
    expect(e).toMatchObject({ kind: 'value', expression: ['Bundle.entry'] })
  })

  it('keeps the media type (415) and JSON syntax (400 structure) checks', async () => {
    await expect(readJsonBody(req('{}', 'text/plain'), opts)).rejects.toMatchObject({ kind: 'unsupported-media-type' })
    expect((await refusal('{"a":')).kind).toBe('structure')
  })
})
