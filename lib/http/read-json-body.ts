import { AppError } from '@/lib/errors/app-error'

/**
 * Read a JSON request body with a media-type check (415), a size limit checked on the declared
 * length and while streaming (413), and a parse (400 structure). Returns undefined for an empty body.
 */
export async function readJsonBody(req: Request, opts: { limit: number; mediaType: RegExp; mediaName: string }): Promise<unknown> {
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
  try {
    return JSON.parse(text)
  } catch {
    throw new AppError('structure', 'The request body is not valid JSON.')
  }
}
