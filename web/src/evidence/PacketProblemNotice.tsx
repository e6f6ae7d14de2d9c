import { useTranslation } from 'react-i18next';
import { EVIDENCE_FORMAT, type EvidencePacketProblem } from '../../../domain/log/evidence-packet.ts';

/** Why the file is not a packet at all, in words, announced at once. */
export function PacketProblemNotice({ name, problem }: { name: string; problem: EvidencePacketProblem }) {
  const { t } = useTranslation('evidence');
  const words = { name, expected: EVIDENCE_FORMAT };
  const text = (() => {
    switch (problem.code) {
      case 'too_large':
        return t('problems.too_large', { ...words, limit: problem.limit / (1024 * 1024) });
      case 'wrong_format':
        return problem.found === undefined
          ? t('problems.wrong_format', words)
          : t('problems.wrong_format_found', { ...words, found: problem.found });
      case 'not_a_packet':
        return t('problems.not_a_packet', { ...words, at: problem.at || '/', detail: problem.detail });
      case 'proofs_mismatch':
        return t('problems.proofs_mismatch', { ...words, detail: problem.detail });
      default:
        return t(`problems.${problem.code}`, words);
    }
  })();
  return (
    <p className="verdict verdict-broken" role="alert">
      {text}
    </p>
  );
}
