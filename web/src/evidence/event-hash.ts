import canonicalize from 'canonicalize';
import type { EvidenceEvent } from '../../../domain/log/evidence-packet.ts';
import { hexOfBytes, sha256, utf8 } from './bytes.ts';

/**
 * What an event's stored `hash` should be: SHA-256 of the RFC 8785 canonical JSON of its other fields, as
 * docs/log.md and the hash chain of docs/architecture.md say. The packet's parser lets no other field through.
 */
export async function eventHashOf(event: EvidenceEvent): Promise<string> {
  const { hash: _stored, ...hashed } = event;
  const canonical = canonicalize(hashed);
  if (canonical === undefined) throw new TypeError('an event has no canonical JSON form');
  return hexOfBytes(await sha256(utf8(canonical)));
}
