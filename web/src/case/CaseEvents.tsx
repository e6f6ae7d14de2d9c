import { useTranslation } from 'react-i18next';
import { parseOccurredAt } from '../../../domain/occurred-at.ts';
import { EmptyState } from '../states/EmptyState.tsx';
import type { CaseAnswer, ShownEvent } from './case-queries.ts';
import { EventEntry } from './EventEntry.tsx';

interface CaseEventsProps {
  readonly caseId: string;
  readonly view: CaseAnswer;
  /** Every event recorded so far, whatever the clocks. */
  readonly events: readonly ShownEvent[];
  /** With "Known at": the events recorded after it are listed apart. */
  readonly knownAt?: string | undefined;
  readonly actOnVersion?: number | undefined;
}

const startOf = (event: ShownEvent) => {
  const parsed = parseOccurredAt(event.occurredAt);
  return parsed.ok ? parsed.value.earliest : Number.POSITIVE_INFINITY;
};

/** In the order things occurred; events recorded in the same breath keep the order they were recorded in. */
const byOccurrence = (a: ShownEvent, b: ShownEvent) => startOf(a) - startOf(b) || a.version - b.version;

/** The case's history: each event in words, retractions applied, "Known at" splitting off what came later. */
export function CaseEvents({ caseId, view, events, knownAt, actOnVersion }: CaseEventsProps) {
  const { t } = useTranslation('case');
  const retractions = new Map<string, ShownEvent>();
  for (const event of events) {
    if (event.type === 'Retracted') retractions.set(event.data.eventId, event);
  }
  const knownBy = knownAt ? new Date(knownAt).getTime() : undefined;
  const isLater = (event: ShownEvent) =>
    knownBy !== undefined && new Date(event.recordedAt).getTime() > knownBy;
  const known = events.filter((event) => !isLater(event)).sort(byOccurrence);
  const later = events.filter(isLater).sort(byOccurrence);
  const pending = new Set(view.pending);
  const entry = (event: ShownEvent, retractedBy: ShownEvent | undefined) => (
    <EventEntry
      key={event.eventId}
      caseId={caseId}
      event={event}
      pending={pending.has(event.eventId)}
      retractedBy={retractedBy}
      actOnVersion={actOnVersion}
    />
  );
  // As known at a moment, a retraction recorded later had not happened yet.
  const knownRetraction = (event: ShownEvent) => {
    const retraction = retractions.get(event.eventId);
    return retraction && !isLater(retraction) ? retraction : undefined;
  };
  return (
    <section className="case-events" aria-labelledby="case-events-title">
      <h2 id="case-events-title">{t('events.title')}</h2>
      {known.length === 0 ? (
        <EmptyState>{t('events.empty')}</EmptyState>
      ) : (
        <ol className="event-list">{known.map((event) => entry(event, knownRetraction(event)))}</ol>
      )}
      {knownBy !== undefined && (
        <section className="recorded-later" aria-labelledby="recorded-later-title">
          <h2 id="recorded-later-title">{t('events.laterTitle')}</h2>
          {later.length === 0 ? (
            <EmptyState>{t('events.laterEmpty')}</EmptyState>
          ) : (
            <ol className="event-list">
              {later.map((event) => entry(event, retractions.get(event.eventId)))}
            </ol>
          )}
        </section>
      )}
    </section>
  );
}
