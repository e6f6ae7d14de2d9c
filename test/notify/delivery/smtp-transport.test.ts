import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEmail } from '../../../functions/notify/email/render-email.ts';
import { smtpTransport } from '../../../functions/notify/email/smtp-transport.ts';
import { bodies, links, notice } from './sample-notices.ts';

/** A real SMTP server on loopback: it keeps what it receives, and refuses recipients at refused.example.org. */
let server: SMTPServer;
let port: number;
const received: { parsed: ParsedMail; to: string[] }[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.endsWith('@refused.example.org')) {
        callback(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks)).then((parsed) => {
          received.push({ parsed, to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A header as sent, unfolded. */
const headerLine = (mail: ParsedMail, key: string) =>
  mail.headerLines.find((h) => h.key === key)?.line.replace(/\r?\n\s+/g, ' ');

const from = 'Detention Ledger <notices@ledger.example.org>';

describe('smtpTransport against a real SMTP server', () => {
  it('delivers the text and HTML parts, the Message-ID, the one-click unsubscribe headers and a Cyrillic subject', async () => {
    const transport = smtpTransport({ host: '127.0.0.1', port, secure: false, from });
    const email = renderEmail(notice(bodies.alert_raised, 'ru', 'N-ru-1'), links, {
      to: 'desk@example.org',
      host: 'ledger.example.org',
    });
    await transport.send(email);
    const got = received.find((r) => r.parsed.messageId === '<N-ru-1@ledger.example.org>');
    expect(got).toBeDefined();
    const { parsed, to } = got!;
    expect(to).toEqual(['desk@example.org']);
    expect(parsed.subject).toBe('Тревога: Консульское посещение просрочено — дело C-1042');
    expect(parsed.text).toContain('Консульского посещения не было 45 дней');
    expect(parsed.html).toContain('<a href="https://ledger.example.org/app/cases/C-1042">C-1042</a>');
    // mailparser folds List-* headers into one `list` object; the header lines are what mail clients read.
    expect(headerLine(parsed, 'list-unsubscribe')).toBe(
      'List-Unsubscribe: <https://api.ledger.example.org/notifications/unsubscribe?token=tok-unsub>',
    );
    expect(headerLine(parsed, 'list-unsubscribe-post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    expect(parsed.from?.text).toContain('notices@ledger.example.org');
  });

  it('accepts the server as a URL', async () => {
    const transport = smtpTransport({ url: `smtp://127.0.0.1:${port}`, from });
    await transport.send(
      renderEmail(notice(bodies.confirm_subscription, 'en', 'N-url-1'), links, {
        to: 'a@example.org',
        host: 'h.example.org',
      }),
    );
    const got = received.find((r) => r.parsed.messageId === '<N-url-1@h.example.org>');
    expect(got).toBeDefined();
    expect(headerLine(got!.parsed, 'list-unsubscribe')).toBeUndefined();
  });

  it('a recipient the server refuses is a rejection in plain words, naming the server', async () => {
    const transport = smtpTransport({ host: '127.0.0.1', port, secure: false, from });
    const email = renderEmail(notice(bodies.case_event), links, {
      to: 'nobody@refused.example.org',
      host: 'h',
    });
    await expect(transport.send(email)).rejects.toThrow(
      new RegExp(
        `^the mail server at 127\\.0\\.0\\.1:${port} refused the message: .*550.*mailbox unavailable`,
      ),
    );
  });

  it('a server that is not there is said so', async () => {
    // A port just released by a listener of our own, so nothing answers on it.
    const probe = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const freePort = (probe.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const transport = smtpTransport({ url: `smtp://user:secret@127.0.0.1:${freePort}`, from });
    const error = await transport
      .send(renderEmail(notice(bodies.case_event), links, { to: 'a@example.org', host: 'h' }))
      .then(
        () => undefined,
        (e: Error) => e,
      );
    expect(error?.message).toMatch(
      new RegExp(`^could not talk to the mail server at 127\\.0\\.0\\.1:${freePort}: `),
    );
    expect(error?.message).not.toContain('secret');
  });
});
