import type { Notice } from '../../../domain/notifications/notice.ts';
import type { NoticeLanguage } from '../../../domain/notifications/subscription.ts';
import type { EmailMessage, NoticeLinks } from '../ports.ts';
import type { Block, EmailDocument } from './email-document.ts';
import { link } from './email-document.ts';
import { formattingFor } from './formatting.ts';
import { htmlPart } from './html-part.ts';
import { alertRaisedEmail, alertResolvedEmail } from './templates/alert-templates.ts';
import { caseEventEmail } from './templates/case-event-template.ts';
import { confirmSubscriptionEmail } from './templates/confirm-template.ts';
import { digestEmail } from './templates/digest-template.ts';
import { endpointDisabledEmail } from './templates/endpoint-disabled-template.ts';
import type { TemplateContext } from './templates/template-context.ts';
import { textPart } from './text-part.ts';
import type { EmailWords } from './words.ts';
import { wordsEn } from './words-en.ts';
import { wordsRu } from './words-ru.ts';

export const emailWords: Readonly<Record<NoticeLanguage, EmailWords>> = { en: wordsEn, ru: wordsRu };

export interface RenderEmailOptions {
  /** The recipient: the subscription's address, or an endpoint's contact. */
  readonly to: string;
  /** The right-hand side of the Message-ID, normally the sending domain: `<notice.id@host>`. */
  readonly host: string;
}

/** The footer of every email but the confirmation: why it came, and how to stop it in one click. */
function footerOf(words: EmailWords, links: NoticeLinks): Block[] {
  return [
    { kind: 'paragraph', parts: [words.footer.why] },
    {
      kind: 'paragraph',
      parts: [
        link(words.footer.manage, links.subscriptionsUrl),
        ' · ',
        link(words.footer.unsubscribe, links.unsubscribeUrl),
      ],
    },
  ];
}

function documentOf(notice: Notice, context: TemplateContext): EmailDocument {
  const footer = footerOf(context.words, context.links);
  const body = notice.body;
  switch (body.kind) {
    case 'alert_raised':
      return { ...alertRaisedEmail(body.mention, context), footer };
    case 'alert_resolved':
      return { ...alertResolvedEmail(body.mention, context), footer };
    case 'case_event':
      return { ...caseEventEmail(body.event, context), footer };
    case 'digest':
      return { ...digestEmail(body, context), footer };
    case 'confirm_subscription':
      return confirmSubscriptionEmail(context);
    case 'endpoint_disabled':
      return { ...endpointDisabledEmail(body, context), footer };
  }
}

/**
 * A notice as an email in its language: subject, text and HTML from the same blocks, the Message-ID that
 * lets a mail system drop a repeat, and the RFC 8058 one-click unsubscribe headers (not on the confirmation:
 * an address that never confirmed has nothing to unsubscribe from).
 */
export function renderEmail(notice: Notice, links: NoticeLinks, options: RenderEmailOptions): EmailMessage {
  const words = emailWords[notice.language] ?? wordsEn;
  const timeZone = notice.body.kind === 'digest' ? notice.body.timeZone : 'UTC';
  const document = documentOf(notice, { words, links, format: formattingFor(words.locale, timeZone) });
  const headers: Record<string, string> =
    notice.body.kind === 'confirm_subscription'
      ? {}
      : {
          'List-Unsubscribe': `<${links.unsubscribePostUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        };
  return {
    to: options.to,
    subject: document.subject,
    text: textPart(document),
    html: htmlPart(document, words.locale),
    messageId: `<${notice.id}@${options.host}>`,
    headers,
  };
}
