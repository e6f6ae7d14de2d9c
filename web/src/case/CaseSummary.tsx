import { useTranslation } from 'react-i18next';
import { parseOccurredAt } from '../../../domain/occurred-at.ts';
import { useOccurredAtWords } from '../dates/occurred-at-words.ts';
import { useFormats } from '../i18n/format.ts';
import type { CaseAnswer } from './case-queries.ts';

const DAY_MS = 86_400_000;

/** Whole days from an occurred-at's first moment to `at`: "days since the last visit". */
function daysSince(text: string, at: number): number | undefined {
  const parsed = parseOccurredAt(text);
  return parsed.ok ? Math.max(0, Math.floor((at - parsed.value.earliest) / DAY_MS)) : undefined;
}

/** The reference moment of the view: the end of its "As of" day, or now. */
function referenceOf(asOf: string | undefined): number {
  return asOf ? new Date(`${asOf}T23:59:59.999Z`).getTime() : Date.now();
}

/** Who the case is about and where they stand: the facts a desk officer reads first. */
export function CaseSummary({ view, asOf }: { view: CaseAnswer; asOf: string | undefined }) {
  const { t } = useTranslation('case');
  const { t: tEvents } = useTranslation('events');
  const formats = useFormats();
  const words = useOccurredAtWords();
  const said = (text: string | null) => {
    if (text === null) return t('summary.none');
    const read = words(text);
    return read.ok ? read.words : text;
  };
  const subject = view.subject;
  const who = 'pseudonym' in subject ? subject.pseudonym : subject.name;
  const since =
    view.lastConsularVisitAt === null ? undefined : daysSince(view.lastConsularVisitAt, referenceOf(asOf));
  return (
    <section className="case-summary" aria-labelledby="case-summary-title">
      <h2 id="case-summary-title">{t('summary.title')}</h2>
      <dl className="case-facts">
        <dt>{t('summary.who')}</dt>
        <dd>
          <span className="case-who">{who}</span>
          {'pseudonym' in subject && <small className="hint"> {t('summary.pseudonymHint')}</small>}
        </dd>
        <dt>{t('summary.nationality')}</dt>
        <dd>{subject.nationality ?? view.nationality ?? t('summary.none')}</dd>
        {'birthYear' in subject && subject.birthYear !== undefined && (
          <>
            <dt>{t('summary.birthYear')}</dt>
            <dd>{subject.birthYear}</dd>
          </>
        )}
        {'occupation' in subject && subject.occupation !== undefined && (
          <>
            <dt>{t('summary.occupation')}</dt>
            <dd>{subject.occupation}</dd>
          </>
        )}
        <dt>{t('summary.status')}</dt>
        <dd>
          <span className={`badge badge-status status-${view.status}`}>
            {tEvents(`statuses.${view.status}`)}
          </span>
        </dd>
        <dt>{t('summary.facility')}</dt>
        <dd>{view.facility ?? t('summary.none')}</dd>
        <dt>{t('summary.charges')}</dt>
        <dd>
          {view.charges.length === 0 ? (
            t('summary.none')
          ) : (
            <ul className="case-charges">
              {view.charges.map((charge) => (
                <li key={`${charge.text}|${charge.article ?? ''}`}>
                  {charge.text}
                  {charge.article && ` (${t('summary.article', { article: charge.article })})`}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{t('summary.detainedAt')}</dt>
        <dd>{said(view.detainedAt)}</dd>
        {view.releasedAt !== null && (
          <>
            <dt>{t('summary.releasedAt')}</dt>
            <dd>
              {said(view.releasedAt)}
              {view.releaseMode && ` (${tEvents(`releaseModes.${view.releaseMode}`)})`}
            </dd>
          </>
        )}
        <dt>{t('summary.custodyUntil')}</dt>
        <dd>{view.custodyUntil === null ? t('summary.none') : formats.day(view.custodyUntil)}</dd>
        <dt>{t('summary.lastVisit')}</dt>
        <dd>
          {view.lastConsularVisitAt === null
            ? t('summary.noVisit')
            : `${said(view.lastConsularVisitAt)} — ${t('summary.daysSince', { count: since ?? 0 })}`}
        </dd>
        <dt>{t('summary.nextHearing')}</dt>
        <dd>{view.nextHearingAt === null ? t('summary.none') : formats.day(view.nextHearingAt)}</dd>
        <dt>{t('summary.lastHearing')}</dt>
        <dd>
          {view.lastHearingAt === null
            ? t('summary.none')
            : t('summary.lastHearingAt', {
                day: formats.day(view.lastHearingAt),
                attended: tEvents(`hearingAttendances.${view.lastHearingAttended ?? 'unknown'}`),
              })}
        </dd>
        <dt>{t('summary.version')}</dt>
        <dd>{formats.number(view.version)}</dd>
      </dl>
    </section>
  );
}
