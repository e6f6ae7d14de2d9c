import { useTranslation } from 'react-i18next';
import { useOccurredAtWords } from '../dates/occurred-at-words.ts';
import { useFormats } from '../i18n/format.ts';
import { RetractAction } from '../record/RetractAction.tsx';
import type { ShownEvent } from './case-queries.ts';
import { EventFacts } from './EventFacts.tsx';
import { EventSources } from './EventSources.tsx';
import { shownText } from './shown-text.ts';

const UNRETRACTABLE: ReadonlySet<ShownEvent['type']> = new Set(['CaseOpened', 'Retracted', 'Erased']);

interface EventEntryProps {
  readonly event: ShownEvent;
  readonly caseId: string;
  /** Whether the view lists the event as pending: its uncertain date has begun and not ended. */
  readonly pending: boolean;
  /** The retraction that withdrew the event, if one did. */
  readonly retractedBy?: ShownEvent | undefined;
  /** The case's version to act on, when the page shows the present and the roles may record. */
  readonly actOnVersion?: number | undefined;
}

/** One event of the history: what, when (in words), the facts, the sources, and who recorded it when. */
export function EventEntry({ event, caseId, pending, retractedBy, actOnVersion }: EventEntryProps) {
  const { t } = useTranslation('case');
  const { t: tEvents } = useTranslation('events');
  const { t: tDates } = useTranslation('dates');
  const formats = useFormats();
  const words = useOccurredAtWords();
  const when = words(event.occurredAt);
  const headingId = `event-${event.eventId}`;
  const reason = retractedBy?.type === 'Retracted' ? shownText(retractedBy.data.reason, t) : undefined;
  // The ledger refuses to retract an opening, a retraction or an erasure: offer it only where it would stand.
  const mayAct = actOnVersion !== undefined && !UNRETRACTABLE.has(event.type);
  return (
    <li className="case-event" aria-labelledby={headingId}>
      <article className={retractedBy ? 'retracted' : undefined}>
        <h3 id={headingId}>
          {tEvents(`types.${event.type}`)}
          {retractedBy && <span className="badge badge-retracted"> {t('events.retractedBadge')}</span>}
          {pending && <span className="badge badge-pending"> {t('events.pending')}</span>}
        </h3>
        <p className="event-when">
          {when.ok ? when.words : event.occurredAt}
          {pending && when.ok && (
            <>
              {' — '}
              {t('events.pendingBounds', {
                bounds: tDates('bounds', {
                  earliest: formats.day(new Date(when.earliest).toISOString()),
                  latest: formats.day(new Date(when.latest).toISOString()),
                }),
              })}
            </>
          )}
        </p>
        <EventFacts event={event} />
        {event.note && (
          <p className="event-note">
            {t('events.note')}: {shownText(event.note, t)}
          </p>
        )}
        <EventSources sources={event.sources} />
        <p className="event-recorded">
          {t('events.recorded', {
            at: formats.dateTime(event.recordedAt),
            by: event.recordedBy,
            version: event.version,
          })}
        </p>
      </article>
      {retractedBy && (
        <p className="event-retraction">
          {t('events.retractedBecause', {
            reason,
            at: formats.dateTime(retractedBy.recordedAt),
            by: retractedBy.recordedBy,
          })}
        </p>
      )}
      {mayAct && !retractedBy && (
        <details className="event-menu">
          <summary>{t('events.menu')}</summary>
          <RetractAction caseId={caseId} eventId={event.eventId} version={actOnVersion} />
        </details>
      )}
    </li>
  );
}
