import type { Alert } from '../../../../domain/alerts.ts';
import type { NoticeLinks } from '../../ports.ts';
import type { Inline } from '../email-document.ts';
import { link } from '../email-document.ts';
import type { Formatting } from '../formatting.ts';
import type { AlertKindKey, EmailWords, EventTypeKey } from '../words.ts';

/** What every template is given: the words and formatting of the notice's language, and its links. */
export interface TemplateContext {
  readonly words: EmailWords;
  readonly format: Formatting;
  readonly links: NoticeLinks;
}

/** A kind the words do not know yet (added to the domain before its words) is shown by its key. */
export function alertKindName(words: EmailWords, kind: string): string {
  return words.alertKinds[kind as AlertKindKey] ?? kind;
}

export function eventTypeName(words: EmailWords, type: string): string {
  return words.eventTypes[type as EventTypeKey] ?? type;
}

/** The sentence of an alert: what, since when, for how long. Read by field, so new alert kinds fit. */
export function alertSentence(alert: Alert, { words, format }: TemplateContext): string {
  const fields = alert as Alert & {
    since?: string;
    due?: string;
    version?: number;
    change?: 'modified' | 'removed';
  };
  const detail = words.alertDetails[alert.kind as AlertKindKey];
  const facts = {
    days: format.count(alert.days, words.dayForms),
    dayCount: alert.days,
    ...(fields.since !== undefined ? { since: format.when(fields.since) } : {}),
    ...(fields.due !== undefined ? { due: format.when(fields.due) } : {}),
    ...(fields.version !== undefined ? { version: fields.version } : {}),
    ...(fields.change !== undefined ? { change: fields.change } : {}),
  };
  const sentence =
    detail !== undefined ? detail(facts) : `${alertKindName(words, alert.kind)}: ${facts.days}.`;
  // Russian dates end in "г.", so a sentence ending in a date would close with two periods.
  return sentence.replace(/\.\.$/, '.');
}

export const caseLink = (caseId: string, links: NoticeLinks): Inline => link(caseId, links.caseUrl(caseId));
