import { SESv2Client, SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import type { EmailMessage, EmailTransport } from '../ports.ts';

export interface SesOptions {
  readonly from: string;
  readonly configurationSet?: string;
}

/**
 * The SESv2 SendEmail request for a message: Simple content (subject, text, HTML, in UTF-8) with our headers.
 * SES writes its own Message-ID over any given one (see "Amazon SES header fields"), so the notice's id goes in
 * `X-Notice-Id` too, where a receiving system can still see which notice a copy repeats.
 */
export function sesSendEmailInput(message: EmailMessage, options: SesOptions): SendEmailCommandInput {
  const noticeId = message.messageId.replace(/^<|>$/g, '');
  return {
    FromEmailAddress: options.from,
    Destination: { ToAddresses: [message.to] },
    Content: {
      Simple: {
        Subject: { Data: message.subject, Charset: 'UTF-8' },
        Body: {
          Text: { Data: message.text, Charset: 'UTF-8' },
          Html: { Data: message.html, Charset: 'UTF-8' },
        },
        Headers: [
          ...Object.entries(message.headers).map(([Name, Value]) => ({ Name, Value })),
          { Name: 'X-Notice-Id', Value: noticeId },
        ],
      },
    },
    ...(options.configurationSet !== undefined ? { ConfigurationSetName: options.configurationSet } : {}),
  };
}

/** An EmailTransport over Amazon SES (v2 API), for the AWS runtime. */
export function sesTransport(options: SesOptions & { readonly client?: SESv2Client }): EmailTransport {
  const client = options.client ?? new SESv2Client({});
  return {
    async send(message: EmailMessage): Promise<void> {
      try {
        await client.send(new SendEmailCommand(sesSendEmailInput(message, options)));
      } catch (error) {
        const e = error as { name?: string; message?: string };
        throw new Error(
          `Amazon SES refused the message: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`,
        );
      }
    },
  };
}
