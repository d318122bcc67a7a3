import { AppError } from '@/lib/errors/app-error'

/** Deepest nesting of arrays/objects we accept (a FHIR Bundle of ours is about 10 deep). */
export const MAX_JSON_DEPTH = 64
/** Longest array we accept (a Bundle of 10,000 entries is already far beyond any BaRS message). */
export const MAX_JSON_ARRAY = 10_000

/** A `\u` escape of NUL or of a UTF-16 surrogate (a valid pair matches too: then the walk decides). */
const RISKY_ESCAPE = /\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/

/**
 * One pass over a JSON text, before JSON.parse: its nesting depth (so a body of 5 MB of brackets
 * is refused before JSON.parse builds millions of arrays from it; counting stops early past
 * `limit`), and whether the parsed value could hold what checkJsonValue refuses. `suspect` is false
 * only when no string or key can decode to a NUL or a lone surrogate (those come only from a
 * `\u0000` or `\uD800`–`\uDFFF` escape: JSON.parse refuses a raw control character, and a
 * well-formed text has no raw lone surrogate) and no array has more than MAX_JSON_ARRAY items
 * (commas are counted per array). A true `suspect` may be a false alarm (a valid surrogate pair, an
 * escaped backslash before "u0000"): checkJsonValue decides. Strings are skipped with indexOf, so
 * the loop only visits the characters between them.
 */
export function scanJsonText(text: string, limit = MAX_JSON_DEPTH): { depth: number; suspect: boolean } {
  const suspect = !text.isWellFormed() || (text.includes('\\u') && RISKY_ESCAPE.test(text))
  let longArray = false
  let depth = 0
  let max = 0
  // Per open bracket: is it an array, and how many commas at its own level so far.
  const isArray = new Uint8Array(limit + 2)
  const commas = new Int32Array(limit + 2)
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) {
      // A string: its end is the next quote preceded by an even number of backslashes.
      let j = i
      for (;;) {
        j = text.indexOf('"', j + 1)
        if (j < 0) return { depth: max, suspect: suspect || longArray } // unterminated: JSON.parse refuses it
        let b = j - 1
        while (text.charCodeAt(b) === 0x5c) b--
        if ((j - 1 - b) % 2 === 0) break
      }
      i = j
    } else if (c === 0x5b || c === 0x7b) {
      depth++
      if (depth > max) max = depth
      if (max > limit) return { depth: max, suspect: suspect || longArray }
      isArray[depth] = c === 0x5b ? 1 : 0
      commas[depth] = 0
    } else if (c === 0x5d || c === 0x7d) depth--
    else if (c === 0x2c && depth > 0 && isArray[depth] === 1 && (commas[depth] = commas[depth]! + 1) >= MAX_JSON_ARRAY) longArray = true
  }
  return { depth: max, suspect: suspect || longArray }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/

function childPath(parent: string, key: string): string {
  return IDENT.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`
}

/**
 * Walk a parsed JSON value without recursion and refuse what no consumer may see: NUL characters
 * and lone UTF-16 surrogates (in strings and keys; PostgreSQL's jsonb rejects both, and neither is
 * a valid FHIR string) and arrays longer than MAX_JSON_ARRAY. The error names the element with a
 * FHIRPath-like expression rooted at `root` (e.g. `Bundle.entry[2].resource.name`).
 */
export function checkJsonValue(value: unknown, root: string): void {
  const stack: { v: unknown; path: string }[] = [{ v: value, path: root }]
  const badString = (s: string) => s.includes('\u0000') || !s.isWellFormed()
  const refuse = (s: string, path: string) =>
    new AppError('value', s.includes('\u0000') ? `${path} contains a NUL character (\\u0000).` : `${path} contains an unpaired UTF-16 surrogate.`, {
      expression: path,
    })
  while (stack.length) {
    const { v, path } = stack.pop()!
    if (typeof v === 'string') {
      if (badString(v)) throw refuse(v, path)
    } else if (Array.isArray(v)) {
      if (v.length > MAX_JSON_ARRAY) throw new AppError('value', `${path} has ${v.length} items; at most ${MAX_JSON_ARRAY} are accepted.`, { expression: path })
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], path: `${path}[${i}]` })
    } else if (v && typeof v === 'object') {
      const keys = Object.keys(v)
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!
        if (badString(k)) throw refuse(k, path)
        stack.push({ v: (v as Record<string, unknown>)[k], path: childPath(path, k) })
      }
    }
  }
}

/**
 * Read a JSON request body with a media-type check (415), a size limit checked on the declared
 * length and while streaming (413), a nesting limit checked on the text (400 structure), a parse
 * (400 structure) and a check of every string and array (400 value: NUL, lone surrogates, huge
 * arrays). Returns undefined for an empty body. Nothing else reads the body before this.
 */
export async function readJsonBody(req: Request, opts: { limit: number; mediaType: RegExp; mediaName: string }): Promise<unknown> {
  return (await readJsonBodyWithText(req, opts))?.value
}

/** As readJsonBody, with the text exactly as received (UTF-8 decoded), for storing it verbatim. */
export async function readJsonBodyWithText(req: Request, opts: { limit: number; mediaType: RegExp; mediaName: string }): Promise<{ value: unknown; text: string } | undefined> {
  const type = req.headers.get('content-type')
  if (!type || !opts.mediaType.test(type.trim())) throw new AppError('unsupported-media-type', `Content-Type must be ${opts.mediaName}.`)
  const tooLarge = () => new AppError('payload-too-large', `The body is larger than ${opts.limit} bytes.`)
  const declared = Number(req.headers.get('content-length') ?? 'NaN')
  if (Number.isFinite(declared) && declared > opts.limit) throw tooLarge()
  const reader = req.body?.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > opts.limit) {
        await reader.cancel()
        throw tooLarge()
      }
      chunks.push(value)
    }
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (!text.trim()) return undefined
  const scan = scanJsonText(text)
  if (scan.depth > MAX_JSON_DEPTH) {
    throw new AppError('structure', `The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new AppError('structure', 'The request body is not valid JSON.')
  }
  // The walk (which names the offending element) runs only when the text scan says it could refuse
  // something: for a clean 23 KB message it would build a path string for each of ~1,000 values.
  if (!scan.suspect) return { value, text }
  const rt = value && typeof value === 'object' && !Array.isArray(value) ? (value as { resourceType?: unknown }).resourceType : undefined
  checkJsonValue(value, typeof rt === 'string' && /^[A-Z][A-Za-z]{1,63}$/.test(rt) ? rt : '$')
  return { value, text }
}
