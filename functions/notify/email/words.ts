import type { AlertKind } from '../../../domain/alerts.ts';
import type { RecordableEvent } from '../../../domain/event-catalogue.ts';

/**
 * The words of notice emails, one module per language (words-en.ts, words-ru.ts). This type forces every
 * language to have every key, so a new alert kind or event type does not compile until both are written.
 */

/**
 * Alert kinds by their string: `not_seen_at_hearing` is being added to the domain elsewhere, and a union with
 * the domain's kinds compiles both before and after it lands.
 */
export type AlertKindKey = AlertKind | 'not_seen_at_hearing';

/** Every event type the ledger records, plus `HearingHeld`, being added elsewhere (see AlertKindKey). */
export type EventTypeKey = RecordableEvent['type'] | 'HearingHeld';

/** Plural forms as Intl.PluralRules names them; a language uses the ones its rules select. */
export type PluralForms = Readonly<Partial<Record<Intl.LDMLPluralRule, string>>> & { readonly other: string };

/** What an alert sentence may tell, already formatted in the notice's language. */
export interface AlertFacts {
  /** "45 days" in words, with the plural right. */
  readonly days: string;
  readonly dayCount: number;
  readonly since?: string;
  readonly due?: string;
  /** For ledger_tampered: the event version and how it was changed. */
  readonly version?: number;
  readonly change?: 'modified' | 'removed';
}

export interface EmailWords {
  /** BCP 47 locale for Intl (dates, numbers, plural rules) and the HTML `lang`. */
  readonly locale: string;
  readonly product: string;
  readonly alertKinds: Readonly<Record<AlertKindKey, string>>;
  /** One sentence saying what the alert is about, since when and for how long. */
  readonly alertDetails: Readonly<Record<AlertKindKey, (facts: AlertFacts) => string>>;
  readonly eventTypes: Readonly<Record<EventTypeKey, string>>;
  readonly tamperChanges: Readonly<Record<'modified' | 'removed', string>>;
  readonly dayForms: PluralForms;
  readonly updateForms: PluralForms;
  readonly labels: {
    readonly case: string;
    readonly group: string;
    readonly alert: string;
    readonly raised: string;
    readonly resolved: string;
    readonly lasted: string;
    readonly event: string;
    readonly version: string;
    readonly occurred: string;
    readonly recorded: string;
    readonly endpoint: string;
    readonly failingSince: string;
  };
  readonly alertRaised: {
    readonly subject: (kind: string, caseId: string) => string;
    readonly intro: (caseId: string) => string;
  };
  readonly alertResolved: {
    readonly subject: (kind: string, caseId: string) => string;
    readonly intro: (caseId: string) => string;
    readonly wasOpen: (from: string, to: string, lasted: string) => string;
  };
  readonly caseEvent: {
    readonly subject: (type: string, caseId: string) => string;
    readonly intro: (caseId: string) => string;
  };
  readonly digest: {
    readonly subject: (day: string, updates: string) => string;
    readonly subjectNothingNew: (day: string) => string;
    readonly intro: (day: string, timeZone: string) => string;
    readonly nothingNew: (day: string) => string;
    readonly raised: string;
    readonly resolved: string;
    readonly open: string;
    readonly events: string;
    readonly eventLine: (type: string, occurred: string, recorded: string) => string;
  };
  readonly confirm: {
    readonly subject: string;
    readonly intro: string;
    readonly action: string;
    readonly nothingUntilConfirmed: string;
    readonly notYou: string;
  };
  readonly endpointDisabled: {
    readonly subject: (host: string) => string;
    readonly intro: (url: string, since: string) => string;
    readonly nothingSent: string;
    readonly howToEnable: string;
    readonly action: string;
  };
  readonly openCase: string;
  readonly today: string;
  readonly footer: {
    readonly why: string;
    readonly manage: string;
    readonly unsubscribe: string;
  };
}
