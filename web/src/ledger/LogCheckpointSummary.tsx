import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import { failureWords } from '../evidence/failure-words.ts';
import { useFormats } from '../i18n/format.ts';
import type { CheckpointVerdict } from './check-log-checkpoint.ts';

/**
 * The log's newest checkpoint in words, as this browser found it: its size and root, the log that signed it,
 * and how many of the published witnesses cosigned it and when. A signature that does not verify is said in
 * red, in the evidence page's words, instead of the summary: an unverified checkpoint says nothing.
 */
export function LogCheckpointSummary({ verdict }: { verdict: CheckpointVerdict }) {
  const { t } = useTranslation('ledger');
  const { t: te } = useTranslation('evidence');
  const formats = useFormats();
  const { checkpoint, witnesses } = verdict;
  const cosigners = witnesses
    .filter((witness) => witness.cosignedAt !== undefined)
    .map((witness) =>
      t('log.cosigner', {
        name: witness.name,
        at: formats.dateTime(new Date((witness.cosignedAt ?? 0) * 1000).toISOString()),
      }),
    );
  return (
    <div className="log-checkpoint">
      {verdict.failures.length === 0 && checkpoint ? (
        <p className="verdict verdict-holds" role="status">
          {t('log.signed', {
            size: formats.number(checkpoint.size),
            root: checkpoint.root,
            origin: checkpoint.origin,
          })}{' '}
          {verdict.cosigned === 0
            ? t('log.noCosignature', { count: witnesses.length })
            : t('log.cosigned', {
                count: witnesses.length,
                cosigned: formats.number(verdict.cosigned),
                total: formats.number(witnesses.length),
                cosigners: cosigners.join('; '),
              })}
        </p>
      ) : (
        <div className="verdict verdict-broken" role="alert">
          <p>{t('log.broken')}</p>
          <ul>
            {verdict.failures.map((failure, at) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the list is rendered once per verdict, in the check's order.
              <li key={at}>{failureWords(failure, te, formats)}</li>
            ))}
          </ul>
        </div>
      )}
      <p className="hint">
        {t('log.packetHint')} <Link href="/evidence">{t('log.checkPacket')}</Link>
      </p>
    </div>
  );
}
