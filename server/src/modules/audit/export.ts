/**
 * The offline export bundle (R-AUDIT-3, R-AUDIT-4): JSON Lines that an auditor can verify without a
 * database and without trusting the exporter.
 *
 *   {"type":"ward-audit-export","version":1,"tenantId":…,"exportedAt":…}   first line
 *   {"type":"key","jwk":{…}}                                               the public keys, for reference
 *   {"type":"head", …SignedTreeHead}                                       every signed head
 *   {"type":"event","event":{…SealableEvent},"leafHash":…,"chainHash":…}   every event from seq 1, in order
 *
 * Heads precede events so the check streams. The keys in the file are never trusted: the verifier
 * takes the public keys from its caller (published at /.well-known), or anyone could re-sign.
 */
import type { SealableEvent, SealedEvent } from './event.ts';
import { LEAF_FIELDS, leafText } from './event.ts';
import { hashFromBase64Url, toBase64Url } from './hashes.ts';
import type { PublicKeyRing } from './keys.ts';
import type { SignedTreeHead } from './tree-head.ts';
import { createVerifier, type AuditVerifier, type VerifyReport } from './verifier.ts';

export const EXPORT_FORMAT = 'ward-audit-export';
export const EXPORT_VERSION = 1;

/** How an event line starts and where its hashes sit, as eventLine writes it (verify-block.ts reads this layout). */
export const EVENT_LINE_START = '{"type":"event","event":';
export const LEAF_HASH_KEY = ',"leafHash":"';
export const CHAIN_HASH_KEY = '","chainHash":"';

export type ExportReport = VerifyReport | { ok: false; code: 'EXPORT_MALFORMED'; line: number; detail: string };

function pickFields(event: SealableEvent): SealableEvent {
  return Object.fromEntries(LEAF_FIELDS.map((name) => [name, event[name]])) as unknown as SealableEvent;
}

/** The bundle's lines (without newlines), streamed from sealed events in seq order. */
export async function* exportLines(input: {
  tenantId: string;
  exportedAt: string;
  publicKeys: PublicKeyRing;
  heads: readonly SignedTreeHead[];
  events: Iterable<SealedEvent> | AsyncIterable<SealedEvent>;
}): AsyncGenerator<string> {
  yield JSON.stringify({ type: EXPORT_FORMAT, version: EXPORT_VERSION, tenantId: input.tenantId, exportedAt: input.exportedAt });
  for (const jwk of input.publicKeys.toJwks()) yield JSON.stringify({ type: 'key', jwk });
  for (const head of input.heads) yield JSON.stringify({ type: 'head', ...head });
  for await (const event of input.events) yield eventLine(event);
}

/**
 * An event line. The event is written as its leaf text (JCS, leafText), so that a verifier can hash
 * the line's event bytes as they stand (verify-block.ts) instead of parsing and re-canonicalising
 * them; JSON readers see the same object (member order means nothing in JSON), so the format is still
 * version 1. An event that cannot be canonicalised (a tampered row) is written as JSON.stringify
 * writes it, and fails the verifier's check as before.
 */
export function eventLine(event: SealedEvent): string {
  let text: string;
  try {
    text = leafText(event);
  } catch {
    text = JSON.stringify(pickFields(event));
  }
  return `${EVENT_LINE_START}${text}${LEAF_HASH_KEY}${toBase64Url(event.leafHash)}${CHAIN_HASH_KEY}${toBase64Url(event.chainHash)}"}`;
}

/** Checks a bundle offline against trusted public keys; the first failure is reported. */
export async function verifyExport(
  lines: Iterable<string> | AsyncIterable<string>,
  publicKeys: PublicKeyRing,
): Promise<ExportReport> {
  let lineNumber = 0;
  let tenantId: string | undefined;
  const heads: SignedTreeHead[] = [];
  let verifier: AuditVerifier | undefined;
  const malformed = (detail: string): ExportReport => ({ ok: false, code: 'EXPORT_MALFORMED', line: lineNumber, detail });

  for await (const raw of lines) {
    lineNumber += 1;
    if (raw.trim() === '') continue;
    let record: { type?: unknown; [key: string]: unknown };
    try {
      record = JSON.parse(raw) as typeof record;
    } catch {
      return malformed('not JSON');
    }
    if (record === null || typeof record !== 'object') return malformed('not an object');
    if (tenantId === undefined) {
      if (record.type !== EXPORT_FORMAT || record.version !== EXPORT_VERSION || typeof record.tenantId !== 'string') {
        return malformed(`the first line is not a ${EXPORT_FORMAT} v${EXPORT_VERSION} header`);
      }
      tenantId = record.tenantId;
      continue;
    }
    switch (record.type) {
      case 'key':
        continue; // informational only, see above
      case 'head': {
        if (verifier !== undefined) return malformed('a head after the first event');
        const { type: _type, ...head } = record;
        heads.push(head as unknown as SignedTreeHead);
        continue;
      }
      case 'event': {
        const leafHash = hashFromBase64Url(record.leafHash);
        const chainHash = hashFromBase64Url(record.chainHash);
        const event = record.event as SealableEvent | null;
        if (leafHash === null || chainHash === null || event === null || typeof event !== 'object') {
          return malformed('an event line without event, leafHash or chainHash');
        }
        verifier ??= createVerifier({ tenantId, heads, publicKeys });
        if (!verifier.push({ ...event, leafHash, chainHash })) return verifier.finish();
        continue;
      }
      default:
        return malformed('unknown line type');
    }
  }
  if (tenantId === undefined) return malformed('empty export');
  return (verifier ?? createVerifier({ tenantId, heads, publicKeys })).finish();
}
