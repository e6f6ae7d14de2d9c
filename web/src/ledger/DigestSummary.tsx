import { useTranslation } from 'react-i18next';
import { useFormats } from '../i18n/format.ts';
import type { LedgerDigest } from './use-ledger.ts';

/** The first digest's "previous" is this: there was none. */
const GENESIS_HASH = '0'.repeat(64);

/** A digest in words: which it is, what moment it covers, how much of the ledger, and its hashes. */
export function DigestSummary({ digest }: { digest: LedgerDigest }) {
  const { t } = useTranslation('ledger');
  const formats = useFormats();
  return (
    <div className="digest-summary">
      <p>
        {t('digest.words', {
          sequence: formats.number(digest.sequence),
          at: formats.dateTime(digest.at),
          cases: formats.number(digest.cases),
          events: formats.number(digest.events),
        })}
      </p>
      <dl className="hashes">
        <dt>{t('digest.root')}</dt>
        <dd>
          <code>{digest.root}</code>
        </dd>
        <dt>{t('digest.previous')}</dt>
        <dd>
          {digest.prevDigestHash === GENESIS_HASH ? t('digest.first') : <code>{digest.prevDigestHash}</code>}
        </dd>
        <dt>{t('digest.hash')}</dt>
        <dd>
          <code>{digest.hash}</code>
        </dd>
      </dl>
    </div>
  );
}
