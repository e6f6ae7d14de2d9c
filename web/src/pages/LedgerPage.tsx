import { useTranslation } from 'react-i18next';
import { NeedsRole } from '../audit/NeedsRole.tsx';
import { CaseProofCheck } from '../ledger/CaseProofCheck.tsx';
import { DigestSummary } from '../ledger/DigestSummary.tsx';
import { LogCheckpointSummary } from '../ledger/LogCheckpointSummary.tsx';
import { ProofFileCheck } from '../ledger/ProofFileCheck.tsx';
import { TakeDigest } from '../ledger/TakeDigest.tsx';
import { useLatestDigest } from '../ledger/use-ledger.ts';
import { useLogCheckpoint } from '../ledger/use-log-checkpoint.ts';
import { mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import { EmptyState } from '../states/EmptyState.tsx';
import { QueryState } from '../states/QueryState.tsx';
import '../ledger/ledger.css';

/** Auditors: the public log's newest checkpoint checked here, the newest digest, taking one, and checking a case's inclusion proof in this browser. */
export function LedgerPage() {
  const { t } = useTranslation('ledger');
  const { session } = useSession();
  if (!mayCall(session?.roles ?? [], 'GET /ledger/digest'))
    return <NeedsRole title={t('title')} needs="auditor" />;
  return <LedgerScreen />;
}

function LedgerScreen() {
  const { t } = useTranslation('ledger');
  const latest = useLatestDigest();
  const log = useLogCheckpoint();
  return (
    <section>
      <h1>{t('title')}</h1>
      <section aria-labelledby="public-log" className="ledger-section">
        <h2 id="public-log">{t('log.title')}</h2>
        <p>{t('log.intro')}</p>
        <QueryState query={log} loading={t('log.loading')}>
          {(verdict) =>
            verdict ? <LogCheckpointSummary verdict={verdict} /> : <EmptyState>{t('log.none')}</EmptyState>
          }
        </QueryState>
      </section>
      <p>{t('intro')}</p>
      <section aria-labelledby="latest-digest" className="ledger-section">
        <h2 id="latest-digest">{t('digest.title')}</h2>
        <QueryState query={latest} loading={t('digest.loading')}>
          {(latest) =>
            latest ? <DigestSummary checked={latest} /> : <EmptyState>{t('digest.none')}</EmptyState>
          }
        </QueryState>
        <TakeDigest />
      </section>
      <section aria-labelledby="check-proof" className="ledger-section">
        <h2 id="check-proof">{t('proof.title')}</h2>
        <p>{t('proof.intro')}</p>
        <QueryState query={latest} loading={t('digest.loading')}>
          {(latest) =>
            latest ? (
              <CaseProofCheck digest={latest.digest} />
            ) : (
              <EmptyState>{t('proof.needsDigest')}</EmptyState>
            )
          }
        </QueryState>
        <h3>{t('file.title')}</h3>
        <ProofFileCheck />
      </section>
    </section>
  );
}
