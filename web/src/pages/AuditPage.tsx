import { useTranslation } from 'react-i18next';
import { useLocation, useSearch } from 'wouter';
import { AuditFeed } from '../audit/AuditFeed.tsx';
import { AuditRangeForm } from '../audit/AuditRangeForm.tsx';
import { type AuditRange, auditRangeOf, searchOfRange } from '../audit/audit-range.ts';
import { NeedsRole } from '../audit/NeedsRole.tsx';
import { useAuditFeed } from '../audit/use-audit-feed.ts';
import { mayCall } from '../session/permissions.ts';
import { useSession } from '../session/SessionContext.tsx';
import '../audit/audit.css';

/** Auditors: every event recorded over a range of days, across all cases, in the order it was recorded. */
export function AuditPage() {
  const { t } = useTranslation('audit');
  const { session } = useSession();
  if (!mayCall(session?.roles ?? [], 'GET /audit')) return <NeedsRole title={t('title')} needs="auditor" />;
  return <AuditScreen />;
}

function AuditScreen() {
  const { t } = useTranslation('audit');
  const search = useSearch();
  const [, navigate] = useLocation();
  const range = auditRangeOf(search, new Date());
  const feed = useAuditFeed(range);
  const choose = (next: AuditRange) => navigate(`/audit${searchOfRange(next)}`);
  return (
    <section>
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      {/* A new URL (the form, or Back) starts the form from what the URL says. */}
      <AuditRangeForm key={search} range={range} error={feed.error} onChoose={choose} />
      <AuditFeed range={range} feed={feed} />
    </section>
  );
}
