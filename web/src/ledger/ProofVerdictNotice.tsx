import { useTranslation } from 'react-i18next';
import { useFormats } from '../i18n/format.ts';
import type { CheckedProof } from './use-ledger.ts';

/**
 * What the check found, in words: green and polite when the proof holds, red and announced at once when it
 * does not. The two roots are shown so the reader can compare them themselves.
 */
export function ProofVerdictNotice({ checked }: { checked: CheckedProof }) {
  const { t } = useTranslation('ledger');
  const formats = useFormats();
  const { proof, digest, verdict, current } = checked;
  const words = {
    caseId: proof.leaf.caseId,
    version: formats.number(proof.leaf.version),
    sequence: formats.number(digest.sequence),
  };
  return (
    <div className="proof-verdict">
      {verdict.holds ? (
        <p className="verdict verdict-holds" role="status">
          {t('verdict.holds', words)}
        </p>
      ) : (
        <p className="verdict verdict-broken" role="alert">
          {t(verdict.reason === 'malformed' ? 'verdict.malformed' : 'verdict.rootDiffers', words)}
        </p>
      )}
      {current && !current.matches && (
        <p className="verdict verdict-broken" role="alert">
          {t('current.differs', words)}
        </p>
      )}
      {current?.matches && <p className="hint">{t('current.holds', words)}</p>}
      <dl className="hashes">
        <dt>{t('verdict.recomputed')}</dt>
        <dd>
          <code>
            {verdict.holds || verdict.reason === 'root_differs' ? verdict.root : t('verdict.noRoot')}
          </code>
        </dd>
        <dt>{t('verdict.digestRoot', words)}</dt>
        <dd>
          <code>{digest.root}</code>
        </dd>
        <dt>{t('verdict.place')}</dt>
        <dd>
          {t('verdict.placeWords', {
            index: formats.number(proof.leafIndex + 1),
            size: formats.number(proof.treeSize),
            steps: formats.number(proof.path.length),
          })}
        </dd>
      </dl>
    </div>
  );
}
