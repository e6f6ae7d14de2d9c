import * as Plot from '@observablehq/plot';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { intlLocale } from '../i18n/languages.ts';
import { HELD_STATUSES } from './board-query.ts';
import { type SummarySeries, stackedRows } from './held-series.ts';

const DAY_MS = 86_400_000;

function spanOf(series: SummarySeries): [Date, Date] {
  const from = Date.parse(`${series.from}T00:00:00Z`);
  return [new Date(from), new Date(Date.parse(`${series.to}T00:00:00Z`) + DAY_MS)];
}

/** Colours of the held statuses, distinct for colour-blind readers and AA on white. */
const STATUS_COLOURS = { detained: '#0b5cad', house_arrest: '#b35c00', sentenced: '#6a3d9a' } as const;

/**
 * The people held each day, stacked by status, with the chosen day marked: Observable Plot draws the SVG into
 * a node React leaves alone. Its text alternative (a sentence and the table) is beside it, always.
 */
export function HeldChart({ series, day, label }: { series: SummarySeries; day: string; label: string }) {
  const { t, i18n } = useTranslation('events');
  const holder = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);

  useEffect(() => {
    const node = holder.current;
    if (node === null) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(280, Math.floor(entry.contentRect.width)));
    });
    observer.observe(node);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const node = holder.current;
    if (node === null) return;
    const locale = intlLocale(i18n.language);
    const dayTick = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const words = Object.fromEntries(HELD_STATUSES.map((status) => [status, t(`statuses.${status}`)]));
    const marked = new Date(`${day}T00:00:00Z`);
    const chart = Plot.plot({
      width,
      height: 240,
      marginLeft: 40,
      ariaLabel: label,
      // Each day is a step as wide as the day: the span ends where its last day does.
      x: {
        type: 'utc',
        label: null,
        domain: spanOf(series),
        tickFormat: (value: Date) => dayTick.format(value),
        ticks: width / 90,
      },
      y: {
        grid: true,
        label: null,
        tickFormat: (value: number) => new Intl.NumberFormat(locale).format(value),
      },
      color: {
        domain: [...HELD_STATUSES],
        range: HELD_STATUSES.map((status) => STATUS_COLOURS[status]),
        tickFormat: (status: string) => words[status] ?? status,
        legend: true,
      },
      marks: [
        Plot.areaY(stackedRows(series), { x: 'day', y: 'count', fill: 'status', curve: 'step-after' }),
        Plot.ruleY([0]),
        ...(Number.isNaN(marked.getTime())
          ? []
          : [Plot.ruleX([marked], { stroke: '#1b1f24', strokeWidth: 2 })]),
      ],
    });
    // Plot names its groups (`aria-label="area"`), which ARIA forbids on a plain group; the chart as a whole
    // is named by the sentence, and its data is the table beside it.
    for (const group of chart.querySelectorAll('g[aria-label]')) group.removeAttribute('aria-label');
    node.replaceChildren(chart);
    return () => chart.remove();
  }, [series, day, label, width, t, i18n.language]);

  return <div ref={holder} className="held-chart" />;
}
