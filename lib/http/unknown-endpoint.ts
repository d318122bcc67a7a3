import { rawTransactionIds } from '@/lib/bars/headers'
import { AppError } from '@/lib/errors/app-error'
import { errorResponse } from './with-fhir-route'

/** BaRS endpoints a receiver may be asked for that this one does not serve (yet): 501, not 404 (spec §11.2). */
const NOT_IMPLEMENTED = new Set(['Slot'])

/** Handlers for /fhir paths no route serves: OperationOutcome with both ids echoed, never an HTML page. */
export function unknownFhirEndpoint() {
  const handler = async (req: Request) => {
    const ids = rawTransactionIds((n) => req.headers.get(n))
    const first = new URL(req.url).pathname.replace(/^\/fhir\/?/, '').split('/')[0] ?? ''
    const e = NOT_IMPLEMENTED.has(first)
      ? new AppError('not-implemented', `/${first} is not implemented by this receiver yet.`)
      : new AppError('not-found', 'No such FHIR endpoint on this receiver (paths are case-sensitive).')
    return errorResponse(e, ids)
  }
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler }
}
