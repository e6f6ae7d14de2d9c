import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { EmailMessage, EmailTransport } from '../functions/notify/ports.ts';

/** A file name from a Message-ID (`<notice-id@host>`): letters, digits and `._-` only, so it cannot leave the folder. */
function fileNameOf(message: EmailMessage, at: Date): string {
  const id = message.messageId
    .replace(/^<|>$/g, '')
    .replace(/[^\w.-]+/g, '_')
    .slice(0, 150);
  return `${at.toISOString().replace(/[:.]/g, '-')}-${id}.eml`;
}

/**
 * Email for the local runtime without a mail server: each message is built by nodemailer exactly as it would
 * be sent (`streamTransport` with `buffer: true`, headers and both parts), and written as an `.eml` file to a
 * folder, where any mail program opens it. Readable by this user alone: emails hold subscribers' addresses.
 */
export function mailFolderTransport(options: {
  readonly folder: string;
  readonly from: string;
  readonly clock?: () => Date;
}): EmailTransport {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const clock = options.clock ?? (() => new Date());
  return {
    async send(message) {
      const info = await transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        headers: { ...message.headers },
      });
      await mkdir(options.folder, { recursive: true, mode: 0o700 });
      await writeFile(join(options.folder, fileNameOf(message, clock())), info.message as Buffer, {
        mode: 0o600,
      });
    },
  };
}
