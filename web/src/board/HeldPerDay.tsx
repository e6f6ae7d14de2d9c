import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormats } from '../i18n/format.ts';
import { LoadingState } from '../states/LoadingState.tsx';
import { QueryState } from '../states/QueryState.tsx';
import { useSeries, useSummary } from './board-queries.ts';
import { HELD_STATUSES } from './board-query.ts';
import { dayWords } from './day-words.ts';
import { heldFacts } from './held-series.ts';

// Plot brings d3 with it: the chart comes in its own chunk, after the counts and the list can already be read.
const HeldChart = lazy(() => import('./HeldChart.tsx').then((module) => ({ default: module.HeldChart })));

/** How many people were held each day over the group's span: a chart, a sentence saying it, and its data. */
export function HeldPerDay({ group, asOf }: { group: string | undefined; asOf: string }) {
  const { t } = useTranslation('board');
  const { t: words } = useTranslation('events');
  const formats = useFormats();
  const series = useSeries(group, useSummary(group, asOf));
  return (
    <section className="board-panel board-chart" aria-labelledby="board-held">
      <h2 id="board-held">{t('chart.title')}</h2>
      <QueryState query={series}>
        {(data) => {
          const facts = heldFacts(data, asOf.slice(0, 10));
          // No one held on any day: a flat line at zero would say less than these words.
          if (facts.most === 0) return <p className="state state-empty">{t('chart.empty')}</p>;
          const sentence = [
            facts.onDay === undefined
              ? t('chart.outsideSpan', { day: dayWords(formats, asOf) })
              : t('chart.onDay', { day: dayWords(formats, asOf), count: formats.number(facts.onDay) }),
            facts.mostOn === undefined
              ? ''
              : t('chart.most', { count: formats.number(facts.most), day: formats.day(facts.mostOn) }),
          ]
            .filter(Boolean)
            .join(' ');
          return (
            <figure className="held-figure">
              <Suspense fallback={<LoadingState label={t('chart.loading')} />}>
                <HeldChart series={data} day={asOf.slice(0, 10)} label={sentence} />
              </Suspense>
              <figcaption>
                <p className="held-sentence">{sentence}</p>
                {facts.onDay !== undefined && (
                  <p className="hint">{t('chart.marked', { day: dayWords(formats, asOf) })}</p>
                )}
              </figcaption>
              <details>
                <summary>{t('chart.tableToggle')}</summary>
                {/* It scrolls, so a keyboard must reach it: a named section that takes focus. */}
                <section
                  className="table-wrap held-table"
                  aria-label={t('chart.tableCaption')}
                  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be read by keyboard
                  tabIndex={0}
                >
                  <table>
                    <caption>{t('chart.tableCaption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('chart.day')}</th>
                        {HELD_STATUSES.map((status) => (
                          <th key={status} scope="col">
                            {words(`statuses.${status}`)}
                          </th>
                        ))}
                        <th scope="col">{t('chart.held')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.days.map((entry) => (
                        <tr key={entry.day}>
                          <th scope="row">{formats.day(entry.day)}</th>
                          {HELD_STATUSES.map((status) => (
                            <td key={status}>{formats.number(entry.byStatus[status] ?? 0)}</td>
                          ))}
                          <td>{formats.number(entry.held)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
              </details>
            </figure>
          );
        }}
      </QueryState>
    </section>
  );
}
