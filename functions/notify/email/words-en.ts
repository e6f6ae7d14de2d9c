import type { EmailWords } from './words.ts';

/** The English words of notice emails; the alert and event names are the web application's. */
export const wordsEn: EmailWords = {
  locale: 'en',
  product: 'Detention Ledger',
  alertKinds: {
    ledger_tampered: 'The record was altered',
    consular_visit_overdue: 'Consular visit overdue',
    custody_term_expiring: 'Custody term expiring',
    custody_term_lapsed: 'Custody term lapsed',
    no_news: 'No news',
    not_seen_at_hearing: 'Not seen at a hearing',
  },
  alertDetails: {
    ledger_tampered: ({ version, change, since }) =>
      `Event version ${version ?? '?'} of this case was ${change === 'removed' ? 'removed' : 'modified'} outside the application; this was seen ${since ?? 'recently'}.`,
    consular_visit_overdue: ({ days, since }) =>
      `No consular visit for ${days}, since ${since ?? 'detention'}.`,
    custody_term_expiring: ({ days, dayCount, due }) =>
      dayCount === 0
        ? `The custody term ends today, ${due ?? ''}.`
        : `The custody term ends on ${due ?? '?'}, in ${days}.`,
    custody_term_lapsed: ({ days, since }) =>
      `The custody term ended ${days} ago (the first day past it was ${since ?? '?'}), and no extension or release is recorded.`,
    no_news: ({ days, since }) => `Nothing has been recorded for ${days}, since ${since ?? '?'}.`,
    not_seen_at_hearing: ({ days, since }) =>
      `The person was not seen at the hearing of ${since ?? '?'} (${days} ago).`,
  },
  eventTypes: {
    CaseOpened: 'Case opened',
    Detained: 'Detained',
    Charged: 'Charged',
    ChargesChanged: 'Charges changed',
    CustodyOrdered: 'Custody ordered',
    CustodyExtended: 'Custody extended',
    HearingScheduled: 'Hearing scheduled',
    HearingHeld: 'Hearing held',
    Sentenced: 'Sentenced',
    Acquitted: 'Acquitted',
    Transferred: 'Transferred',
    ConsularVisit: 'Consular visit',
    ConsularAccessDenied: 'Consular access denied',
    FamilyContact: 'Family contact',
    Released: 'Released',
    DiedInCustody: 'Died in custody',
    Retracted: 'Retracted',
    Erased: 'Personal data erased',
  },
  tamperChanges: { modified: 'modified', removed: 'removed' },
  dayForms: { one: 'day', other: 'days' },
  updateForms: { one: 'update', other: 'updates' },
  labels: {
    case: 'Case',
    group: 'Group',
    alert: 'Alert',
    raised: 'First seen',
    resolved: 'Resolved',
    lasted: 'Lasted',
    event: 'Event',
    version: 'Version',
    occurred: 'Occurred',
    recorded: 'Recorded',
    endpoint: 'Endpoint',
    failingSince: 'Failing since',
  },
  alertRaised: {
    subject: (kind, caseId) => `Alert: ${kind} — case ${caseId}`,
    intro: (caseId) => `A new alert is open for case ${caseId}.`,
  },
  alertResolved: {
    subject: (kind, caseId) => `Resolved: ${kind} — case ${caseId}`,
    intro: (caseId) => `An alert of case ${caseId} is resolved.`,
    wasOpen: (from, to, lasted) => `It was open from ${from} to ${to} (${lasted}).`,
  },
  caseEvent: {
    subject: (type, caseId) => `Case ${caseId}: ${type}`,
    intro: (caseId) => `A new event was recorded in case ${caseId}.`,
  },
  digest: {
    subject: (day, updates) => `Daily digest for ${day}: ${updates}`,
    subjectNothingNew: (day) => `Daily digest for ${day}: nothing new`,
    intro: (day, timeZone) => `What changed in the cases you watch on ${day} (${timeZone}).`,
    nothingNew: (day) =>
      `Nothing new on ${day}: no alert was raised or resolved, none is open, and no event was recorded.`,
    raised: 'New alerts',
    resolved: 'Resolved alerts',
    open: 'Still open',
    events: 'Events',
    eventLine: (type, occurred, recorded) => `${type}, occurred ${occurred}, recorded ${recorded}`,
  },
  confirm: {
    subject: 'Confirm your subscription to Detention Ledger notices',
    intro: 'This address was entered to receive notices from the Detention Ledger.',
    action: 'Confirm the subscription',
    nothingUntilConfirmed: 'Nothing will be sent to this address until the link above is clicked.',
    notYou: 'If you did not ask for this, ignore this email: without the click, nothing more will come.',
  },
  endpointDisabled: {
    subject: (host) => `Webhook endpoint disabled: ${host}`,
    intro: (url, since) =>
      `The webhook endpoint ${url} has failed every delivery since ${since}, so it has been disabled.`,
    nothingSent: 'No notices are sent to it while it is disabled.',
    howToEnable:
      'To re-enable it, make sure the receiver answers with a 2xx status, then an administrator can enable the endpoint again in the application.',
    action: 'Open the application',
  },
  openCase: 'Open the case',
  today: 'today',
  footer: {
    why: 'You receive this email because of a subscription to Detention Ledger notices.',
    manage: 'Manage subscriptions',
    unsubscribe: 'Unsubscribe',
  },
};
