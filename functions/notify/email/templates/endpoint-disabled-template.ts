import type { NoticeBody } from '../../../../domain/notifications/notice.ts';
import type { EmailDocument } from '../email-document.ts';
import type { TemplateContext } from './template-context.ts';

type EndpointDisabled = Extract<NoticeBody, { kind: 'endpoint_disabled' }>;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 100);
  }
}

export function endpointDisabledEmail(
  body: EndpointDisabled,
  context: TemplateContext,
): Omit<EmailDocument, 'footer'> {
  const { words, links, format } = context;
  const since = format.when(body.failingSince);
  return {
    subject: words.endpointDisabled.subject(hostOf(body.url)),
    blocks: [
      { kind: 'paragraph', parts: [words.endpointDisabled.intro(body.url, since)] },
      {
        kind: 'facts',
        rows: [
          [words.labels.endpoint, [`${body.url} (${body.endpointId})`]],
          [words.labels.failingSince, [since]],
        ],
      },
      { kind: 'paragraph', parts: [words.endpointDisabled.nothingSent] },
      { kind: 'paragraph', parts: [words.endpointDisabled.howToEnable] },
      { kind: 'action', text: words.endpointDisabled.action, href: links.subscriptionsUrl },
    ],
  };
}
