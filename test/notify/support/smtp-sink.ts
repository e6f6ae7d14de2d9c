import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { smtpTransport } from '../../../functions/notify/email/smtp-transport.ts';

export interface ReceivedMail {
  readonly to: string[];
  /** The whole message as it arrived: headers and body. */
  readonly raw: string;
}

/**
 * A real SMTP server on loopback that keeps every message, its `smtp://` address (a runtime's `SMTP_URL`), and
 * the ledger's own SMTP transport pointed at it.
 */
export async function startSmtpSink() {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  const transport = smtpTransport({ host: '127.0.0.1', port, secure: false, from: 'ledger@example.org' });
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    transport,
    to: (address: string) => received.filter((mail) => mail.to.includes(address)),
    /** The mails to an address, decoded as a mail client would (headers, text part, HTML). */
    parsedTo: (address: string): Promise<ParsedMail[]> =>
      Promise.all(received.filter((mail) => mail.to.includes(address)).map((mail) => simpleParser(mail.raw))),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;
