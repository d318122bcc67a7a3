import { unknownFhirEndpoint } from '@/lib/http/unknown-endpoint'

export const dynamic = 'force-dynamic'

// Any other /fhir path: a BaRS OperationOutcome (404, or 501 for an endpoint we advertise but do not serve yet).
export const { GET, POST, PUT, PATCH, DELETE } = unknownFhirEndpoint()
