import type { EmailDocument } from '../email-document.ts';
import type { TemplateContext } from './template-context.ts';

/** The confirmation: the one email sent before an address is confirmed, so it carries no unsubscribe. */
export function confirmSubscriptionEmail(context: TemplateContext): EmailDocument {
  const { words, links } = context;
  if (links.confirmUrl === undefined) {
    throw new Error('a confirm_subscription notice needs links.confirmUrl, and none was given');
  }
  return {
    subject: words.confirm.subject,
    blocks: [
      { kind: 'paragraph', parts: [words.confirm.intro] },
      { kind: 'action', text: words.confirm.action, href: links.confirmUrl },
      { kind: 'paragraph', parts: [words.confirm.nothingUntilConfirmed] },
    ],
    footer: [{ kind: 'paragraph', parts: [words.confirm.notYou] }],
  };
}
