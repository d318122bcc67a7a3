/**
 * A position in the live-event stream: (txid, id) of the last event delivered, where txid is the
 * writing transaction's id. Streams deliver in (txid, id) order and only events whose transaction
 * is older than every transaction still running, so nothing can later appear before a position
 * already passed (see stream-live-events.ts). Written as "txid.id" in the SSE `id:` field, so the
 * browser sends it back as Last-Event-ID. Pure: shared by the server and the browser hook.
 */
export interface TLiveCursor {
  txid: bigint
  id: bigint
}

const PATTERN = /^(\d{1,19})\.(\d{1,19})$/
const MAX_BIGINT = (BigInt(1) << BigInt(63)) - BigInt(1)

export function formatCursor(c: TLiveCursor): string {
  return `${c.txid}.${c.id}`
}

/** The cursor in a Last-Event-ID or ?after=; null when absent or not one of ours (e.g. an old plain id). */
export function parseCursor(text: string | null | undefined): TLiveCursor | null {
  const m = text ? PATTERN.exec(text) : null
  if (!m) return null
  const txid = BigInt(m[1]!)
  const id = BigInt(m[2]!)
  return txid <= MAX_BIGINT && id <= MAX_BIGINT ? { txid, id } : null
}

/** a after b in stream order. */
export function cursorAfter(a: TLiveCursor, b: TLiveCursor): boolean {
  return a.txid !== b.txid ? a.txid > b.txid : a.id > b.id
}
