import { useTranslation } from 'react-i18next';
import { EvidenceFilePicker } from '../evidence/EvidenceFilePicker.tsx';
import { EvidenceVerdictNotice } from '../evidence/EvidenceVerdictNotice.tsx';
import { PacketProblemNotice } from '../evidence/PacketProblemNotice.tsx';
import { useEvidenceCheck } from '../evidence/use-evidence-check.ts';
import { EmptyState } from '../states/EmptyState.tsx';
import { LoadingState } from '../states/LoadingState.tsx';
import '../ledger/ledger.css';
import '../evidence/evidence.css';

/**
 * `/app/evidence`: an evidence packet checked in this browser. No sign-in (a lawyer without an account uses
 * it) and no request at all: the file is read from disk and every check runs here, with Web Crypto.
 */
export function EvidencePage() {
  const { t } = useTranslation('evidence');
  const { current, check } = useEvidenceCheck();
  return (
    <section className="evidence-page">
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <p className="hint">{t('offline')}</p>
      <EvidenceFilePicker
        onFile={check}
        invalid={current.state === 'not_a_packet' || current.state === 'unreadable'}
      />
      <div className="evidence-result">
        {current.state === 'idle' && <EmptyState>{t('none')}</EmptyState>}
        {current.state !== 'idle' && current.state !== 'checking' && (
          <p className="hint evidence-file-name">{t('file.checked', { name: current.name })}</p>
        )}
        {current.state === 'checking' && <LoadingState label={t('checking', { name: current.name })} />}
        {current.state === 'not_a_packet' && (
          <PacketProblemNotice name={current.name} problem={current.problem} />
        )}
        {current.state === 'unreadable' && (
          <p className="verdict verdict-broken" role="alert">
            {t('problems.unreadable', { name: current.name, detail: current.detail })}
          </p>
        )}
        {current.state === 'cannot_check' && (
          <p className="verdict verdict-broken" role="alert">
            {t('problems.cannot_check', { detail: current.detail })}
          </p>
        )}
        {current.state === 'checked' && <EvidenceVerdictNotice verdict={current.verdict} />}
      </div>
    </section>
  );
}
