import { useTranslation } from 'react-i18next';
import { useOccurredAtWords } from '../dates/occurred-at-words.ts';
import type { ShownEvent } from './case-queries.ts';
import { isPlaceholder, shownText } from './shown-text.ts';

type Source = ShownEvent['sources'][number];

/** Where an event's facts come from: links when a source has an address, every text as it was written. */
export function EventSources({ sources }: { sources: readonly Source[] }) {
  const { t } = useTranslation('case');
  const words = useOccurredAtWords();
  return (
    <div className="event-sources">
      <h4>{t('events.sources', { count: sources.length })}</h4>
      <ul>
        {sources.map((source, index) => {
          const title = shownText(source.title, t);
          const sealed = isPlaceholder(source.title);
          const published = source.publishedAt ? words(source.publishedAt) : undefined;
          return (
            // Sources have no identity of their own but their place in the event.
            // biome-ignore lint/suspicious/noArrayIndexKey: the order of an event's sources never changes
            <li key={index}>
              {source.url && !isPlaceholder(source.url) ? (
                <a href={source.url} rel="noopener noreferrer external" target="_blank">
                  {title}
                </a>
              ) : (
                <span className={sealed ? 'placeholder' : undefined}>{title}</span>
              )}
              {source.publisher && <> — {shownText(source.publisher, t)}</>}
              {published && (
                <> ({t('events.published', { when: published.ok ? published.words : source.publishedAt })})</>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
