import { createHash } from 'node:crypto'
import { AppError } from '@/lib/errors/app-error'
import { senderAuthRepository } from './sender-auth-repository'

/**
 * Who is calling the BaRS FHIR API (docs/security.md):
 *  - 'proxy': the NHS BaRS proxy, whose client certificate our TLS terminator verified (mutual TLS)
 *    and passed on in X-Client-Cert-Subject (trusted only when BARS_TRUST_CLIENT_CERT_HEADER=true);
 *  - 'client-cert': a direct integration whose certificate subject is on a SenderSystem;
 *  - 'bearer': a direct integration presenting its bearer token (we keep only its SHA-256);
 *  - 'none': no credentials — allowed only when BARS_REQUIRE_SENDER_AUTH is not true (embedded demo).
 * Credentials that are presented but unknown are always refused: 401 REC_UNAUTHORIZED.
 */
export type TSenderIdentity =
  | { method: 'proxy'; subject: string }
  | { method: 'client-cert' | 'bearer'; senderId: string; senderName: string; dosServiceId: string }
  | { method: 'none' }

export interface TSenderAuthSettings {
  requireAuth: boolean
  trustCertHeader: boolean
  proxySubjects: readonly string[]
}

export function hashBearerToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Normalise a certificate subject for comparison: "CN=a, O=b" ≡ "CN=a,O=b". */
export function normaliseSubject(subject: string): string {
  return subject
    .split(/\s*,\s*/)
    .map((p) => p.trim())
    .filter(Boolean)
    .join(',')
}

export async function authenticateSender(
  headers: { certSubject: string | null; authorization: string | null },
  settings: TSenderAuthSettings,
): Promise<TSenderIdentity> {
  const subject = settings.trustCertHeader && headers.certSubject?.trim() ? normaliseSubject(headers.certSubject) : undefined
  if (subject) {
    if (settings.proxySubjects.map(normaliseSubject).includes(subject)) return { method: 'proxy', subject }
    const sender = await senderAuthRepository.findByCertSubject(subject)
    if (!sender) throw new AppError('unauthorized', 'The client certificate is not registered for any sender.')
    return { method: 'client-cert', senderId: sender.id, senderName: sender.name, dosServiceId: sender.dosServiceId }
  }
  const auth = headers.authorization?.trim()
  if (auth) {
    const match = /^Bearer\s+(\S{16,512})$/i.exec(auth)
    if (!match) throw new AppError('unauthorized', 'The Authorization header must be "Bearer <token>".')
    const sender = await senderAuthRepository.findByBearerHash(hashBearerToken(match[1]!))
    if (!sender) throw new AppError('unauthorized', 'The bearer token is not valid for any sender.')
    return { method: 'bearer', senderId: sender.id, senderName: sender.name, dosServiceId: sender.dosServiceId }
  }
  if (settings.requireAuth) throw new AppError('unauthorized', 'Sender authentication is required: mutual TLS through the BaRS proxy, or a bearer token.')
  return { method: 'none' }
}
