import type { EventMention } from '../../../../domain/notifications/notice.ts';
import type { EmailDocument, Inline } from '../email-document.ts';
import { caseLink, eventTypeName, type TemplateContext } from './template-context.ts';

export function caseEventEmail(event: EventMention, context: TemplateContext): Omit<EmailDocument, 'footer'> {
  const { words, links, format } = context;
  const type = eventTypeName(words, event.type);
  const rows: [string, Inline[]][] = [
    [words.labels.case, [caseLink(event.caseId, links)]],
    ...(event.groupId !== null ? [[words.labels.group, [event.groupId]] as [string, Inline[]]] : []),
    [words.labels.event, [type]],
    [words.labels.occurred, [format.when(event.occurredAt)]],
    [words.labels.recorded, [format.when(event.recordedAt)]],
    [words.labels.version, [String(event.version)]],
  ];
  return {
    subject: words.caseEvent.subject(type, event.caseId),
    blocks: [
      { kind: 'heading', text: type },
      { kind: 'paragraph', parts: [words.caseEvent.intro(event.caseId)] },
      { kind: 'facts', rows },
      { kind: 'action', text: words.openCase, href: links.caseUrl(event.caseId) },
    ],
  };
}
