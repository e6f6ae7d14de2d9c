import type { TFunction } from 'i18next';
import type { Formats } from '../i18n/format.ts';
import type { EvidenceFailure } from './check-evidence.ts';

/** One failed check in the reader's language, with the event version or the key it concerns. */
export function failureWords(failure: EvidenceFailure, t: TFunction<'evidence'>, formats: Formats): string {
  switch (failure.check) {
    case 'event_hash':
    case 'chain_link':
      return t(`failures.${failure.check}`, { version: failure.version });
    case 'other_case':
      return t('failures.other_case', { version: failure.version, streamId: failure.streamId });
    case 'chain_order':
      return t('failures.chain_order', { position: failure.position, version: failure.version });
    case 'inclusion':
      return t('failures.inclusion', { version: failure.version, index: formats.number(failure.index) });
    case 'checkpoint':
    case 'log_key':
      return t(`failures.${failure.check}`, { problem: t(`noteProblems.${failure.problem}`) });
    case 'origin':
      return t('failures.origin', { origin: failure.origin, keyName: failure.keyName });
    case 'log_signature':
      return t(failure.found === 'none' ? 'failures.log_signature_none' : 'failures.log_signature_invalid');
    case 'witness_key':
      return t('failures.witness_key', { key: failure.key, problem: t(`noteProblems.${failure.problem}`) });
    case 'cosignature':
      return t('failures.cosignature', { witness: failure.witness });
  }
}
