/**
 * Bench build only (BARS_BENCH_BUILD=1, see next.config.js `pageExtensions`): the bare Next.js route
 * `npm run bench` compares $process-message with. It reads the same body and echoes it as FHIR JSON,
 * through the same proxy and server, with none of our pipeline. The product build has no such route.
 */
export const dynamic = 'force-dynamic'

export async function POST(req: Request): Promise<Response> {
  const body = await req.text()
  return new Response(body, { status: 200, headers: { 'content-type': 'application/fhir+json; charset=utf-8', 'cache-control': 'no-store' } })
}
