import type { AlertMention, EventMention, NoticeBody } from '../../../../domain/notifications/notice.ts';
import type { Block, EmailDocument, Inline } from '../email-document.ts';
import {
  alertKindName,
  alertSentence,
  caseLink,
  eventTypeName,
  type TemplateContext,
} from './template-context.ts';

type Digest = Extract<NoticeBody, { kind: 'digest' }>;

function alertItem(mention: AlertMention, context: TemplateContext): Inline[] {
  const kind = alertKindName(context.words, mention.alert.kind);
  return [
    caseLink(mention.alert.caseId, context.links),
    ` — ${kind}: ${alertSentence(mention.alert, context)}`,
  ];
}

function eventItem(event: EventMention, context: TemplateContext): Inline[] {
  const { words, format } = context;
  const line = words.digest.eventLine(
    eventTypeName(words, event.type),
    format.when(event.occurredAt),
    format.when(event.recordedAt),
  );
  return [caseLink(event.caseId, context.links), ` — ${line}`];
}

/** A digest: one section per kind of change, in the order a desk reads them; empty sections are left out. */
export function digestEmail(digest: Digest, context: TemplateContext): Omit<EmailDocument, 'footer'> {
  const { words, format } = context;
  const day = format.when(digest.day);
  const updates = digest.raised.length + digest.resolved.length + digest.events.length;
  const empty = updates === 0 && digest.open.length === 0;
  const subject =
    updates === 0
      ? words.digest.subjectNothingNew(day)
      : words.digest.subject(day, format.count(updates, words.updateForms));
  if (empty) {
    return { subject, blocks: [{ kind: 'paragraph', parts: [words.digest.nothingNew(day)] }] };
  }
  const blocks: Block[] = [{ kind: 'paragraph', parts: [words.digest.intro(day, digest.timeZone)] }];
  const section = (title: string, items: Inline[][]) => {
    if (items.length === 0) return;
    blocks.push({ kind: 'heading', text: `${title} (${items.length})` }, { kind: 'list', items });
  };
  section(
    words.digest.raised,
    digest.raised.map((m) => alertItem(m, context)),
  );
  section(
    words.digest.resolved,
    digest.resolved.map((m) => alertItem(m, context)),
  );
  section(
    words.digest.open,
    digest.open.map((m) => alertItem(m, context)),
  );
  section(
    words.digest.events,
    digest.events.map((e) => eventItem(e, context)),
  );
  return { subject, blocks };
}
