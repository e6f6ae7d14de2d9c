import { simpleParser } from 'mailparser';
import type { SmtpSink } from '../../notify/support/smtp-sink.ts';

/** A message as a person's mail program would show it: parsed from what the SMTP server received. */
export interface InboxMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  /** The raw header block, for headers mailparser folds away (List-Unsubscribe). */
  readonly rawHeaders: string;
}

/** The mails an SMTP sink received for one address, in the order they arrived, as an inbox shows them. */
export function inboxOf(sink: SmtpSink, address: string): Promise<InboxMail[]> {
  return Promise.all(
    sink.to(address).map(async ({ raw }) => {
      const parsed = await simpleParser(raw);
      return {
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        html: typeof parsed.html === 'string' ? parsed.html : '',
        messageId: parsed.messageId ?? '',
        rawHeaders: raw.split(/\r?\n\r?\n/)[0] ?? '',
      };
    }),
  );
}
