import { useTranslation } from 'react-i18next';
import { useFormats } from '../i18n/format.ts';
import type { CheckedDigest } from './use-ledger.ts';

/** The first digest's "previous" is this: there was none. */
const GENESIS_HASH = '0'.repeat(64);

/**
 * A digest in words: which it is, what moment it covers, how much of the ledger, its hashes, and whether its
 * own hash still agrees with its fields (red when it does not: the stored digest was changed after it was taken).
 */
export function DigestSummary({ checked }: { checked: CheckedDigest }) {
  const { t } = useTranslation('ledger');
  const formats = useFormats();
  const { digest, hashHolds } = checked;
  const sequence = formats.number(digest.sequence);
  return (
    <div className="digest-summary">
      <p>
        {t('digest.words', {
          sequence,
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
      {hashHolds ? (
        <p className="hint">{t('digest.hashHolds', { sequence })}</p>
      ) : (
        <p className="verdict verdict-broken" role="alert">
          {t('digest.hashBroken', { sequence })}
        </p>
      )}
    </div>
  );
}
