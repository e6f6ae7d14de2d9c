import nodemailer from 'nodemailer';
import type { EmailMessage, EmailTransport } from '../ports.ts';

/** Where the mail server is: a URL (`smtp://127.0.0.1:2525`, `smtps://user:pw@mail.example.org`) or its parts. */
export type SmtpServer =
  | { readonly url: string }
  | {
      readonly host: string;
      readonly port: number;
      /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
      readonly secure: boolean;
      readonly auth?: { readonly user: string; readonly pass: string };
    };

export type SmtpTransportOptions = SmtpServer & {
  /** The sender, e.g. `Detention Ledger <notices@ledger.example.org>`. */
  readonly from: string;
};

/** How the server is named in errors: host and port only, never credentials from a URL. */
function serverName(server: SmtpServer): string {
  if ('url' in server) {
    try {
      const url = new URL(server.url);
      return url.port === '' ? url.hostname : `${url.hostname}:${url.port}`;
    } catch {
      return 'the configured address';
    }
  }
  return `${server.host}:${server.port}`;
}

interface SmtpError {
  readonly code?: string;
  readonly response?: string;
  readonly responseCode?: number;
  readonly message?: string;
}

/** A nodemailer error in words a person can act on, naming the server. */
export function smtpErrorInWords(error: unknown, where: string): Error {
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SmtpError;
  const said = (e.response ?? e.message ?? 'no reason given').trim();
  if (e.code === 'EAUTH') return new Error(`the mail server at ${where} refused the login: ${said}`);
  if (e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET' || e.code === 'EDNS') {
    return new Error(`could not talk to the mail server at ${where}: ${said}`);
  }
  return new Error(`the mail server at ${where} refused the message: ${said}`);
}

/** An EmailTransport over SMTP (nodemailer), for the local runtime and any mail relay. */
export function smtpTransport(options: SmtpTransportOptions): EmailTransport {
  const { from, ...server } = options;
  const where = serverName(server);
  const transporter =
    'url' in server
      ? nodemailer.createTransport(server.url)
      : nodemailer.createTransport({
          host: server.host,
          port: server.port,
          secure: server.secure,
          ...(server.auth !== undefined ? { auth: { user: server.auth.user, pass: server.auth.pass } } : {}),
        });
  return {
    async send(message: EmailMessage): Promise<void> {
      try {
        await transporter.sendMail({
          from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          headers: { ...message.headers },
        });
      } catch (error) {
        throw smtpErrorInWords(error, where);
      }
    },
  };
}
