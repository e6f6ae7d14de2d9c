import type { AlertMention } from '../../../../domain/notifications/notice.ts';
import type { Block, EmailDocument, Inline } from '../email-document.ts';
import { alertKindName, alertSentence, caseLink, type TemplateContext } from './template-context.ts';

/** The rows both alert emails show: the case (a link), its group, the kind. */
function alertFacts(mention: AlertMention, context: TemplateContext): [string, Inline[]][] {
  const { words, links } = context;
  return [
    [words.labels.case, [caseLink(mention.alert.caseId, links)]],
    ...(mention.groupId !== null ? [[words.labels.group, [mention.groupId]] as [string, Inline[]]] : []),
    [words.labels.alert, [alertKindName(words, mention.alert.kind)]],
    [words.labels.raised, [context.format.when(mention.raisedAt)]],
  ];
}

export function alertRaisedEmail(
  mention: AlertMention,
  context: TemplateContext,
): Omit<EmailDocument, 'footer'> {
  const { words, links } = context;
  const kind = alertKindName(words, mention.alert.kind);
  const blocks: Block[] = [
    { kind: 'heading', text: kind },
    { kind: 'paragraph', parts: [words.alertRaised.intro(mention.alert.caseId)] },
    { kind: 'paragraph', parts: [alertSentence(mention.alert, context)] },
    { kind: 'facts', rows: alertFacts(mention, context) },
    { kind: 'action', text: words.openCase, href: links.caseUrl(mention.alert.caseId) },
  ];
  return { subject: words.alertRaised.subject(kind, mention.alert.caseId), blocks };
}

export function alertResolvedEmail(
  mention: AlertMention,
  context: TemplateContext,
): Omit<EmailDocument, 'footer'> {
  const { words, links, format } = context;
  const kind = alertKindName(words, mention.alert.kind);
  const resolvedAt = mention.resolvedAt;
  const rows = alertFacts(mention, context);
  const blocks: Block[] = [
    { kind: 'heading', text: `${words.labels.resolved}: ${kind}` },
    { kind: 'paragraph', parts: [words.alertResolved.intro(mention.alert.caseId)] },
    { kind: 'paragraph', parts: [alertSentence(mention.alert, context)] },
  ];
  if (resolvedAt !== undefined) {
    const lastedDays = Math.max(
      0,
      Math.floor((Date.parse(resolvedAt) - Date.parse(mention.raisedAt)) / 86_400_000),
    );
    const lasted = format.count(lastedDays, words.dayForms);
    blocks.push({
      kind: 'paragraph',
      parts: [words.alertResolved.wasOpen(format.when(mention.raisedAt), format.when(resolvedAt), lasted)],
    });
    rows.push([words.labels.resolved, [format.when(resolvedAt)]], [words.labels.lasted, [lasted]]);
  }
  blocks.push(
    { kind: 'facts', rows },
    { kind: 'action', text: words.openCase, href: links.caseUrl(mention.alert.caseId) },
  );
  return { subject: words.alertResolved.subject(kind, mention.alert.caseId), blocks };
}
