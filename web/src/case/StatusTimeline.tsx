import * as Plot from '@observablehq/plot';
import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { parseOccurredAt } from '../../../domain/occurred-at.ts';
import { useOccurredAtWords } from '../dates/occurred-at-words.ts';
import type { CaseAnswer, ShownEvent } from './case-queries.ts';
import { type CaseStatus, statusBands } from './status-bands.ts';

/** A colour per status, each dark enough for white text and told apart by its label as well. */
const STATUS_COLOURS: Record<CaseStatus, string> = {
  detained: '#b3261e',
  house_arrest: '#8a4b00',
  sentenced: '#5b2a86',
  released: '#1b6e3a',
  deceased: '#333333',
  unknown: '#5f6368',
};

interface StatusTimelineProps {
  readonly view: CaseAnswer;
  /** The events to mark on the chart; absent for those who may not read them. */
  readonly events?: readonly ShownEvent[] | undefined;
  /** The moment the chart ends at: the end of the "As of" day, or now. */
  readonly until: number;
}

/**
 * The status history as a chart — one band per interval, a mark per event — and, for everyone who does not
 * read charts, the same intervals as a table in words.
 */
export function StatusTimeline({ view, events, until }: StatusTimelineProps) {
  const { t } = useTranslation('case');
  const { t: tEvents } = useTranslation('events');
  const words = useOccurredAtWords();
  const chart = useRef<HTMLDivElement>(null);
  const bands = useMemo(() => statusBands(view.statusHistory, until), [view.statusHistory, until]);

  useEffect(() => {
    const target = chart.current;
    if (!target || bands.length === 0) return;
    const marks = (events ?? []).flatMap((event) => {
      const parsed = parseOccurredAt(event.occurredAt);
      return parsed.ok ? [{ at: new Date(parsed.value.earliest), type: tEvents(`types.${event.type}`) }] : [];
    });
    const plot = Plot.plot({
      width: Math.max(320, target.clientWidth),
      height: 120,
      marginLeft: 10,
      marginRight: 20,
      x: { type: 'utc', label: null },
      y: { axis: null, domain: [0, 1] },
      color: {
        domain: Object.keys(STATUS_COLOURS),
        range: Object.values(STATUS_COLOURS),
      },
      marks: [
        Plot.rectX(bands, {
          x1: 'start',
          x2: 'end',
          y1: 0.35,
          y2: 1,
          fill: 'status',
          title: (band: (typeof bands)[number]) => tEvents(`statuses.${band.status}`),
        }),
        Plot.ruleX(marks, { x: 'at', y1: 0, y2: 0.3, stroke: '#1a1a1a', strokeWidth: 2, title: 'type' }),
      ],
    });
    // The chart is a picture of the table below, which says the same in words.
    plot.setAttribute('aria-hidden', 'true');
    target.replaceChildren(plot);
    return () => plot.remove();
  }, [bands, events, tEvents]);

  if (bands.length === 0) return <p className="state state-empty">{t('timeline.empty')}</p>;
  return (
    <section className="case-timeline" aria-labelledby="case-timeline-title">
      <h2 id="case-timeline-title">{t('timeline.title')}</h2>
      <ul className="timeline-legend" aria-label={t('timeline.legend')}>
        {[...new Set(bands.map((band) => band.status))].map((status) => (
          <li key={status}>
            <span
              className="legend-swatch"
              style={{ background: STATUS_COLOURS[status] }}
              aria-hidden="true"
            />
            {tEvents(`statuses.${status}`)}
          </li>
        ))}
      </ul>
      <div ref={chart} className="timeline-chart" />
      {events && <p className="hint">{t('timeline.marks', { count: events.length })}</p>}
      {/* It scrolls on a phone, so a keyboard must reach it: a named section that takes focus. */}
      <section
        className="table-wrap"
        aria-label={t('timeline.caption')}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be read by keyboard
        tabIndex={0}
      >
        <table>
          <caption>{t('timeline.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('timeline.status')}</th>
              <th scope="col">{t('timeline.from')}</th>
              <th scope="col">{t('timeline.to')}</th>
            </tr>
          </thead>
          <tbody>
            {bands.map((band) => {
              const from = words(band.from);
              const to = band.to === null ? undefined : words(band.to);
              return (
                <tr key={`${band.status}-${band.from}`}>
                  <td>{tEvents(`statuses.${band.status}`)}</td>
                  <td>{from.ok ? from.words : band.from}</td>
                  <td>{to === undefined ? t('timeline.ongoing') : to.ok ? to.words : band.to}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </section>
  );
}
