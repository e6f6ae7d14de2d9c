import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../../functions/notify/email/render-email.ts';
import { sesSendEmailInput } from '../../../functions/notify/email/ses-transport.ts';
import { bodies, links, notice } from './sample-notices.ts';

describe('sesSendEmailInput: the SESv2 SendEmail request a message becomes', () => {
  const email = renderEmail(notice(bodies.digest, 'ru', 'N-ses-1'), links, {
    to: 'desk@example.org',
    host: 'ledger.example.org',
  });

  it('is Simple content in UTF-8 with both parts, the sender, the recipient and the configuration set', () => {
    const input = sesSendEmailInput(email, {
      from: 'notices@ledger.example.org',
      configurationSet: 'ledger-notices',
    });
    expect(input.FromEmailAddress).toBe('notices@ledger.example.org');
    expect(input.Destination).toEqual({ ToAddresses: ['desk@example.org'] });
    expect(input.ConfigurationSetName).toBe('ledger-notices');
    const simple = input.Content?.Simple;
    expect(simple?.Subject).toEqual({ Data: 'Сводка за 5 марта 2026 г.: 3 изменения', Charset: 'UTF-8' });
    expect(simple?.Body?.Text).toEqual({ Data: email.text, Charset: 'UTF-8' });
    expect(simple?.Body?.Html).toEqual({ Data: email.html, Charset: 'UTF-8' });
  });

  it('carries the one-click unsubscribe headers and the notice id (SES replaces Message-ID with its own)', () => {
    const input = sesSendEmailInput(email, { from: 'notices@ledger.example.org' });
    expect(input.Content?.Simple?.Headers).toEqual([
      { Name: 'List-Unsubscribe', Value: `<${links.unsubscribePostUrl}>` },
      { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
      { Name: 'X-Notice-Id', Value: 'N-ses-1@ledger.example.org' },
    ]);
    expect(input).not.toHaveProperty('ConfigurationSetName');
  });

  it('a confirmation carries no unsubscribe header', () => {
    const confirm = renderEmail(notice(bodies.confirm_subscription), links, {
      to: 'a@example.org',
      host: 'h',
    });
    const names = sesSendEmailInput(confirm, { from: 'n@example.org' }).Content?.Simple?.Headers?.map(
      (h) => h.Name,
    );
    expect(names).toEqual(['X-Notice-Id']);
  });
});
