import { useTranslation } from 'react-i18next';
import { useFormats } from '../i18n/format.ts';
import type { EvidenceVerdict } from './check-evidence.ts';
import { EvidenceDetails } from './EvidenceDetails.tsx';
import { failureWords } from './failure-words.ts';

/** A packet of ten thousand altered events would list them all: the first ones say enough. */
const FAILURES_SHOWN = 50;

/**
 * The verdict in one sentence — green and polite when every check holds, red and announced at once when one
 * does not — then each failure with where it is, then the checkpoint and the keys to compare.
 */
export function EvidenceVerdictNotice({ verdict }: { verdict: EvidenceVerdict }) {
  const { t } = useTranslation('evidence');
  const formats = useFormats();
  const shown = verdict.failures.slice(0, FAILURES_SHOWN);
  return (
    <div className="evidence-verdict">
      {verdict.ok && verdict.checkpoint ? (
        <>
          <p className="verdict verdict-holds" role="status">
            {t('verdict.holds', {
              count: verdict.events,
              events: formats.number(verdict.events),
              caseId: verdict.caseId,
              size: formats.number(verdict.checkpoint.size),
              origin: verdict.logKey.name ?? verdict.checkpoint.origin,
              witnesses: t('verdict.witnesses', { count: verdict.cosigned }),
            })}
          </p>
          <p className="hint">{t('verdict.keysHint')}</p>
        </>
      ) : (
        <>
          <p className="verdict verdict-broken" role="alert">
            {t('verdict.fails', { count: verdict.failures.length })}
          </p>
          <h2 className="evidence-failures-title">{t('verdict.failuresTitle')}</h2>
          <ul className="evidence-failures">
            {shown.map((failure, at) => (
              // Failures have no identity of their own; their order is the check's and never changes.
              // biome-ignore lint/suspicious/noArrayIndexKey: the list is rendered once per verdict.
              <li key={at}>{failureWords(failure, t, formats)}</li>
            ))}
          </ul>
          {verdict.failures.length > shown.length && (
            <p>{t('verdict.more', { count: verdict.failures.length - shown.length })}</p>
          )}
        </>
      )}
      <EvidenceDetails verdict={verdict} />
    </div>
  );
}
