// The /fhir route handlers served by a plain Node HTTP server, for `npm run reliability` when no
// production build exists (lib/testing/in-process-fetch.ts routes as Next does). PORT, DATABASE_URL
// and the rest come from the environment, as for `next start`.
import http from 'node:http'
import { inProcessFetch } from '@/lib/testing/in-process-fetch'

const port = Number(process.env.PORT ?? 3000)
http
  .createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const headers = new Headers()
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
    const body = chunks.length && req.method !== 'GET' ? Buffer.concat(chunks) : undefined
    try {
      const answer = await inProcessFetch(`http://127.0.0.1:${port}${req.url ?? '/'}`, { method: req.method, headers, body })
      res.writeHead(answer.status, Object.fromEntries(answer.headers))
      res.end(Buffer.from(await answer.arrayBuffer()))
    } catch {
      res.writeHead(500).end()
    }
  })
  .listen(port, '127.0.0.1')
