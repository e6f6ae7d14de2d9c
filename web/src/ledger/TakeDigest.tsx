import { useTranslation } from 'react-i18next';
import { useFormats } from '../i18n/format.ts';
import { ErrorState } from '../states/ErrorState.tsx';
import { useOnline } from '../states/OfflineBanner.tsx';
import { useTakeDigest } from './use-ledger.ts';

/** "Take a digest now", and what came of it. */
export function TakeDigest() {
  const { t } = useTranslation('ledger');
  const formats = useFormats();
  const online = useOnline();
  const take = useTakeDigest();
  return (
    <div className="take-digest">
      <p className="hint">{t('take.hint')}</p>
      <button type="button" onClick={() => take.mutate()} disabled={take.isPending || !online}>
        {take.isPending ? t('take.taking') : t('take.button')}
      </button>
      {take.isSuccess && (
        <p role="status" className="verdict verdict-holds">
          {t('take.done', {
            sequence: formats.number(take.data.digest.sequence),
            cases: formats.number(take.data.digest.cases),
          })}
        </p>
      )}
      {take.isError && <ErrorState error={take.error} retry={() => take.mutate()} />}
    </div>
  );
}
