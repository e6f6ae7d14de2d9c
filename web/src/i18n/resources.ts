import audit from './locales/en/audit.json' with { type: 'json' };
import board from './locales/en/board.json' with { type: 'json' };
import caseEn from './locales/en/case.json' with { type: 'json' };
import common from './locales/en/common.json' with { type: 'json' };
import dates from './locales/en/dates.json' with { type: 'json' };
import events from './locales/en/events.json' with { type: 'json' };
import evidence from './locales/en/evidence.json' with { type: 'json' };
import ledger from './locales/en/ledger.json' with { type: 'json' };
import notifications from './locales/en/notifications.json' with { type: 'json' };
import record from './locales/en/record.json' with { type: 'json' };
import signIn from './locales/en/signIn.json' with { type: 'json' };
import auditRu from './locales/ru/audit.json' with { type: 'json' };
import boardRu from './locales/ru/board.json' with { type: 'json' };
import caseRu from './locales/ru/case.json' with { type: 'json' };
import commonRu from './locales/ru/common.json' with { type: 'json' };
import datesRu from './locales/ru/dates.json' with { type: 'json' };
import eventsRu from './locales/ru/events.json' with { type: 'json' };
import evidenceRu from './locales/ru/evidence.json' with { type: 'json' };
import ledgerRu from './locales/ru/ledger.json' with { type: 'json' };
import notificationsRu from './locales/ru/notifications.json' with { type: 'json' };
import recordRu from './locales/ru/record.json' with { type: 'json' };
import signInRu from './locales/ru/signIn.json' with { type: 'json' };

/**
 * Every text of the interface, one namespace per screen (events: the catalogue's words, shared by the case
 * page and the forms). test/web/locales.test.ts holds both languages to the same keys.
 */
export const resources = {
  en: { common, dates, signIn, board, case: caseEn, record, events, audit, ledger, notifications, evidence },
  ru: {
    common: commonRu,
    dates: datesRu,
    signIn: signInRu,
    board: boardRu,
    case: caseRu,
    record: recordRu,
    events: eventsRu,
    audit: auditRu,
    ledger: ledgerRu,
    notifications: notificationsRu,
    evidence: evidenceRu,
  },
} as const;
