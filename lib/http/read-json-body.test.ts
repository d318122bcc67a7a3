import { describe, expect, it } from 'vitest'
import { caught } from '@/lib/testing/caught'
import { checkJsonValue, MAX_JSON_ARRAY, readJsonBody, scanJsonText } from './read-json-body'

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
    expect(scanJsonText(JSON.stringify({ a: '[[[[{{{{\\"[[' })).depth).toBe(1)
    // A string ending in an escaped backslash ends at its quote; an escaped quote does not end it.
    expect(scanJsonText(JSON.stringify({ a: 'x\\', b: [[[]]], c: '\\"[[[[' })).depth).toBe(4)
    expect(scanJsonText(JSON.stringify({ a: 'x\\\\', b: [[[[[]]]]] })).depth).toBe(6)
  })

  it('refuses an array longer than the limit', () => {
    const e = caught(() => checkJsonValue({ entry: new Array(MAX_JSON_ARRAY + 1).fill(0) }, 'Bundle'))
    expect(e).toMatchObject({ kind: 'value', expression: ['Bundle.entry'] })
  })

  it('keeps the media type (415) and JSON syntax (400 structure) checks', async () => {
    await expect(readJsonBody(req('{}', 'text/plain'), opts)).rejects.toMatchObject({ kind: 'unsupported-media-type' })
    expect((await refusal('{"a":')).kind).toBe('structure')
  })

  it('the text scan flags every text whose value the walk would refuse (so skipping the walk loses nothing)', () => {
    const refuses = (v: unknown) => {
      try {
        checkJsonValue(v, '$')
        return false
      } catch {
        return true
      }
    }
    const long = new Array(MAX_JSON_ARRAY + 1).fill(0)
    const bad: unknown[] = [
      { a: 'x\u0000y' },
      { ['k\u0000']: 1 },
      { a: '\ud800' },
      { a: 'z\udfff' },
      [{ b: [{ c: long }] }],
      { entry: [{ resource: { list: new Array(MAX_JSON_ARRAY + 1).fill({ a: [1, 2] }) } }] },
    ]
    for (const v of bad) {
      const text = JSON.stringify(v)
      expect(refuses(JSON.parse(text))).toBe(true)
      expect(scanJsonText(text).suspect).toBe(true)
    }
    // Upper-case escapes written by hand (JSON.stringify writes lower case).
    for (const text of [String.raw`{"a":"\uD800"}`, String.raw`{"a":"\u0000"}`, String.raw`["\uDBFF"]`]) {
      expect(refuses(JSON.parse(text))).toBe(true)
      expect(scanJsonText(text).suspect).toBe(true)
    }
    // Clean texts are not flagged: exactly MAX_JSON_ARRAY items, many short arrays, brackets, commas, quotes and backslashes in strings.
    const clean: unknown[] = [
      { a: new Array(MAX_JSON_ARRAY).fill(0) },
      { a: Array.from({ length: 50 }, () => new Array(MAX_JSON_ARRAY / 2).fill(1)) },
      { a: ','.repeat(MAX_JSON_ARRAY + 5) },
      { a: 'é € 😀 \n \u001f \\ "quoted" [not, an, array]' },
    ]
    for (const v of clean) {
      const text = JSON.stringify(v)
      expect(refuses(v)).toBe(false)
      expect(scanJsonText(text).suspect).toBe(false)
    }
    // A false alarm (an escaped backslash before "u0000") only costs the walk, which accepts it.
    const alarm = JSON.stringify({ a: '\\u0000 is text here' })
    expect(scanJsonText(alarm).suspect).toBe(true)
    expect(refuses(JSON.parse(alarm))).toBe(false)
  })

  it('random values: whenever the walk refuses, the scan flagged the text', () => {
    let seed = 7
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0), (seed >>> 8) % n)
    const pieces = ['a', 'é', '😀', '\u0000', '\ud800', '\udc00', '\\', '"', ',', '[', '{', '\u0001']
    const str = () => Array.from({ length: rnd(4) }, () => pieces[rnd(pieces.length)]).join('')
    const value = (d: number): unknown => {
      const k = rnd(d > 3 ? 3 : 6)
      if (k === 0) return str()
      if (k === 1) return rnd(100)
      if (k === 2) return null
      if (k === 3) return rnd(6) === 0 ? new Array(MAX_JSON_ARRAY - 1 + rnd(3)).fill(0) : Array.from({ length: rnd(4) }, () => value(d + 1))
      return Object.fromEntries(Array.from({ length: rnd(4) }, () => [str(), value(d + 1)]))
    }
    let refused = 0
    for (let i = 0; i < 300; i++) {
      const text = JSON.stringify(value(0))
      const parsed = JSON.parse(text)
      let walk = false
      try {
        checkJsonValue(parsed, '$')
      } catch {
        walk = true
      }
      if (walk) {
        refused++
        expect(scanJsonText(text).suspect).toBe(true)
      }
    }
    expect(refused).toBeGreaterThan(30) // the generator does produce refusals
  })

  it('a long array nested in a clean message is still refused with its element', async () => {
    const body = JSON.stringify({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Patient', name: new Array(MAX_JSON_ARRAY + 1).fill('x') } }] })
    expect(await refusal(body)).toMatchObject({ kind: 'value', expression: ['Bundle.entry[0].resource.name'] })
  })
})
