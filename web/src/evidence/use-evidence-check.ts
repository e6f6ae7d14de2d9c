import { useCallback, useRef, useState } from 'react';
import {
  type EvidencePacketProblem,
  MAX_EVIDENCE_PACKET_BYTES,
  readEvidencePacket,
} from '../../../domain/log/evidence-packet.ts';
import { checkEvidence, type EvidenceVerdict } from './check-evidence.ts';

/** Where the check of the file last opened is. Nothing here touches the network: the file is read locally. */
export type EvidenceCheckState =
  | { readonly state: 'idle' }
  | { readonly state: 'checking'; readonly name: string }
  | { readonly state: 'not_a_packet'; readonly name: string; readonly problem: EvidencePacketProblem }
  | { readonly state: 'unreadable'; readonly name: string; readonly detail: string }
  /** This browser's Web Crypto lacks what the check needs (Ed25519): nothing was concluded about the file. */
  | { readonly state: 'cannot_check'; readonly name: string; readonly detail: string }
  | { readonly state: 'checked'; readonly name: string; readonly verdict: EvidenceVerdict };

/**
 * Reads and checks one file at a time; a file opened while another is being checked wins, and the first one's
 * verdict, when it comes, is dropped rather than shown under the second one's name.
 */
export function useEvidenceCheck(): { readonly current: EvidenceCheckState; check(file: File): void } {
  const [current, setCurrent] = useState<EvidenceCheckState>({ state: 'idle' });
  const latest = useRef(0);
  const check = useCallback((file: File) => {
    const run = ++latest.current;
    const settle = (next: EvidenceCheckState) => {
      if (run === latest.current) setCurrent(next);
    };
    const name = file.name;
    settle({ state: 'checking', name });
    // A huge file is refused by its size, before a byte of it is read into memory.
    if (file.size > MAX_EVIDENCE_PACKET_BYTES) {
      settle({
        state: 'not_a_packet',
        name,
        problem: { code: 'too_large', limit: MAX_EVIDENCE_PACKET_BYTES },
      });
      return;
    }
    void (async () => {
      let text: string;
      try {
        text = await file.text();
      } catch (error) {
        settle({ state: 'unreadable', name, detail: error instanceof Error ? error.message : String(error) });
        return;
      }
      const reading = readEvidencePacket(text, file.size);
      if (!reading.ok) {
        settle({ state: 'not_a_packet', name, problem: reading.problem });
        return;
      }
      settle({ state: 'checked', name, verdict: await checkEvidence(reading.packet) });
    })().catch((error: unknown) => {
      // A check that could not run at all (a browser without Ed25519 in Web Crypto) must not spin forever.
      settle({ state: 'cannot_check', name, detail: error instanceof Error ? error.message : String(error) });
    });
  }, []);
  return { current, check };
}
