/**
 * A referral version's bundle: its own copy, or — for a version a message made (issue 10: the
 * bundle is stored once) — the message's `InboundMessage.rawBundle`. The database guarantees one of
 * the two is there (CHECK "ReferralVersion_bundle_or_message", foreign key to the message).
 * Readers select `versionBundleSelect` and read through `versionBundle`.
 */
export const versionBundleSelect = { bundle: true, message: { select: { rawBundle: true } } } as const

export function versionBundle(v: { bundle: unknown; message?: { rawBundle: unknown } | null }): unknown {
  return v.bundle ?? v.message?.rawBundle ?? {}
}
