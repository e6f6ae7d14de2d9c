import { useTranslation } from 'react-i18next';
import { useFormats } from '../i18n/format.ts';
import type { EvidenceVerdict } from './check-evidence.ts';

/**
 * What the packet claims, and the keys it was checked with, written out in full so that the reader can
 * compare them, character by character, with the keys the ledger's operator and the witnesses publish.
 */
export function EvidenceDetails({ verdict }: { verdict: EvidenceVerdict }) {
  const { t } = useTranslation('evidence');
  const formats = useFormats();
  return (
    <section aria-labelledby="evidence-details" className="evidence-details">
      <h2 id="evidence-details">{t('details.title')}</h2>
      <dl className="hashes">
        <dt>{t('details.case')}</dt>
        <dd>{verdict.caseId}</dd>
        <dt>{t('details.events')}</dt>
        <dd>{formats.number(verdict.events)}</dd>
        {verdict.checkpoint && (
          <>
            <dt>{t('details.origin')}</dt>
            <dd>
              <code>{verdict.checkpoint.origin}</code>
            </dd>
            <dt>{t('details.size')}</dt>
            <dd>{formats.number(verdict.checkpoint.size)}</dd>
            <dt>{t('details.root')}</dt>
            <dd>
              <code>{verdict.checkpoint.root}</code>
            </dd>
          </>
        )}
        <dt>{t('details.logKey')}</dt>
        <dd>
          <code className="evidence-key">{verdict.logKey.text}</code>
        </dd>
        {verdict.witnesses.map((witness) => (
          <WitnessRow key={witness.key} witness={witness} />
        ))}
      </dl>
    </section>
  );
}

function WitnessRow({ witness }: { witness: EvidenceVerdict['witnesses'][number] }) {
  const { t } = useTranslation('evidence');
  const formats = useFormats();
  return (
    <>
      <dt>{witness.name ? t('details.witness', { name: witness.name }) : t('details.unnamedWitness')}</dt>
      <dd>
        <code className="evidence-key">{witness.key}</code>
        <br />
        {witness.cosignedAt === undefined
          ? t('details.notCosigned')
          : t('details.cosignedAt', {
              at: formats.dateTime(new Date(witness.cosignedAt * 1000).toISOString()),
            })}
      </dd>
    </>
  );
}
