import { describe, expect, it } from 'vitest';
import { alertKinds } from '../../../domain/alerts.ts';
import { recordedEventTypes } from '../../../domain/event-catalogue.ts';
import type { Notice, NoticeBody } from '../../../domain/notifications/notice.ts';
import { emailWords, renderEmail } from '../../../functions/notify/email/render-email.ts';
import { bodies, emptyDigest, expiring, links, mention, notice } from './sample-notices.ts';

const options = { to: 'desk@example.org', host: 'ledger.example.org' };
const render = (body: NoticeBody, language: 'en' | 'ru' = 'en') =>
  renderEmail(notice(body, language), links, options);
const CYRILLIC = /[А-Яа-яЁё]/;

describe('renderEmail: every kind, both languages', () => {
  for (const language of ['en', 'ru'] as const) {
    for (const [kind, body] of Object.entries(bodies)) {
      it(`${kind} in ${language}: subject, both parts, Message-ID, html lang`, () => {
        const email = render(body, language);
        expect(email.to).toBe('desk@example.org');
        expect(email.subject.length).toBeGreaterThan(5);
        expect(email.messageId).toBe(`<N-${kind}@ledger.example.org>`);
        expect(email.html).toContain(`<html lang="${language}">`);
        expect(email.text.length).toBeGreaterThan(50);
        if (language === 'ru') {
          expect(email.subject).toMatch(CYRILLIC);
          expect(email.text).toMatch(CYRILLIC);
        }
      });
    }
  }

  it('every email but the confirmation has the one-click unsubscribe headers and footer link', () => {
    for (const language of ['en', 'ru'] as const) {
      for (const [kind, body] of Object.entries(bodies)) {
        const email = render(body, language);
        if (kind === 'confirm_subscription') {
          expect(email.headers).toEqual({});
          expect(email.text).not.toContain(links.unsubscribeUrl);
          continue;
        }
        expect(email.headers['List-Unsubscribe']).toBe(`<${links.unsubscribePostUrl}>`);
        expect(email.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
        expect(email.text).toContain(links.unsubscribeUrl);
        expect(email.html).toContain(`href="${links.unsubscribeUrl}"`);
        expect(email.html).toContain(`href="${links.subscriptionsUrl}"`);
      }
    }
  });
});

describe('renderEmail: what each kind tells', () => {
  it('alert_raised: what, since when, how many days, the case with its link', () => {
    const en = render(bodies.alert_raised);
    expect(en.subject).toBe('Alert: Consular visit overdue — case C-1042');
    expect(en.text).toContain('No consular visit for 45 days, since January 16, 2026.');
    expect(en.text).toContain('G-north');
    expect(en.html).toContain('<a href="https://ledger.example.org/app/cases/C-1042">C-1042</a>');
    const ru = render(bodies.alert_raised, 'ru');
    expect(ru.subject).toBe('Тревога: Консульское посещение просрочено — дело C-1042');
    expect(ru.text).toContain('Консульского посещения не было 45 дней — с 16 января 2026 г.');
    expect(ru.text).not.toContain('г..');
  });

  it('alert_resolved: from when to when and how long it lasted, with Russian plurals', () => {
    const en = render(bodies.alert_resolved);
    expect(en.subject).toBe('Resolved: Custody term lapsed — case C-1044');
    expect(en.text).toContain('February 8, 2026');
    expect(en.text).toContain('March 1, 2026');
    expect(en.text).toContain('(21 days)');
    const ru = render(bodies.alert_resolved, 'ru');
    expect(ru.text).toContain('(21 день)');
    expect(ru.text).toContain('1 марта 2026 г.');
  });

  it('Russian plural forms come from Intl.PluralRules: 1 день, 22 дня, 45 дней', () => {
    const ru = (days: number) =>
      render({ kind: 'alert_raised', mention: mention({ ...expiring, days }) }, 'ru').text;
    expect(ru(1)).toContain('через 1 день');
    expect(ru(22)).toContain('через 22 дня');
    expect(ru(45)).toContain('через 45 дней');
    expect(ru(11)).toContain('через 11 дней');
    expect(ru(0)).toContain('истекает сегодня');
    const en = render({ kind: 'alert_raised', mention: mention({ ...expiring, days: 1 }) }).text;
    expect(en).toContain('in 1 day.');
  });

  it('ledger_tampered says which version and how', () => {
    const email = render({
      kind: 'alert_raised',
      mention: mention({
        caseId: 'C-1046',
        kind: 'ledger_tampered',
        since: '2026-03-01T09:30:00Z',
        days: 4,
        version: 7,
        change: 'removed',
      }),
    });
    expect(email.text).toContain('Event version 7 of this case was removed outside the application');
    expect(email.text).toContain('March 1, 2026 at 09:30 AM UTC');
  });

  it('case_event: the event type in words, when it occurred and was recorded', () => {
    const en = render(bodies.case_event);
    expect(en.subject).toBe('Case C-1042: Hearing scheduled');
    expect(en.text).toContain('Occurred: March 4, 2026');
    expect(en.text).toContain('Recorded: March 5, 2026 at 10:15 AM UTC');
    const ru = render(bodies.case_event, 'ru');
    expect(ru.subject).toBe('Дело C-1042: Назначено заседание');
    expect(ru.text).toContain('Произошло: 4 марта 2026 г.');
  });

  it('an occurred-at that is uncertain or an interval is shown as given, not rounded to a day', () => {
    const email = render({
      kind: 'case_event',
      event: { ...bodies.case_event.event, occurredAt: '2026-02?' },
    });
    expect(email.text).toContain('Occurred: 2026-02?');
  });

  it('digest: a section per change, times in the digest time zone, the count in the subject', () => {
    const en = render(bodies.digest);
    expect(en.subject).toBe('Daily digest for March 5, 2026: 3 updates');
    for (const section of ['New alerts (1)', 'Resolved alerts (1)', 'Still open (2)', 'Events (1)']) {
      expect(en.text).toContain(section);
    }
    for (const caseId of ['C-1042', 'C-1043', 'C-1044', 'C-1045']) {
      expect(en.html).toContain(`href="https://ledger.example.org/app/cases/${caseId}"`);
    }
    // 10:15 UTC is 12:15 in Vilnius in March.
    expect(en.text).toContain('12:15');
    const ru = render(bodies.digest, 'ru');
    expect(ru.subject).toBe('Сводка за 5 марта 2026 г.: 3 изменения');
    expect(ru.text).toContain('Всё ещё открыты (2)');
  });

  it('an empty digest says plainly that nothing is new', () => {
    expect(render(emptyDigest).subject).toBe('Daily digest for March 5, 2026: nothing new');
    expect(render(emptyDigest).text).toContain('Nothing new on March 5, 2026');
    expect(render(emptyDigest, 'ru').subject).toBe('Сводка за 5 марта 2026 г.: ничего нового');
    expect(render(emptyDigest, 'ru').text).toContain('ничего нового');
  });

  it('confirm_subscription: the confirm link, and that nothing is sent until it is clicked', () => {
    const en = render(bodies.confirm_subscription);
    expect(en.text).toContain(links.confirmUrl);
    expect(en.html).toContain(`href="${links.confirmUrl}"`);
    expect(en.text).toContain('Nothing will be sent to this address until the link above is clicked.');
    const ru = render(bodies.confirm_subscription, 'ru');
    expect(ru.text).toContain('ничего не будет отправлено');
  });

  it('confirm_subscription without a confirm link is a programming error, said so', () => {
    const { confirmUrl: _, ...without } = links;
    expect(() => renderEmail(notice(bodies.confirm_subscription), without, options)).toThrow(/confirmUrl/);
  });

  it('endpoint_disabled: the url, since when, how to re-enable', () => {
    const en = render(bodies.endpoint_disabled);
    expect(en.subject).toBe('Webhook endpoint disabled: hooks.example.org');
    expect(en.text).toContain('https://hooks.example.org/ledger');
    expect(en.text).toContain('March 4, 2026 at 08:00 AM UTC');
    expect(en.text).toContain('To re-enable it');
    expect(render(bodies.endpoint_disabled, 'ru').text).toContain('Чтобы включить его снова');
  });
});

describe('renderEmail: hostile input and personal data', () => {
  it('escapes every value in the HTML, in text, attributes and links', () => {
    const hostile = '<script>alert("x")</script>';
    const email = render({
      kind: 'case_event',
      event: { ...bodies.case_event.event, caseId: hostile, groupId: `"><img src=x onerror=alert(1)>` },
    });
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const endpoint = render({ ...bodies.endpoint_disabled, url: 'https://hooks.example.org/<b>' });
    expect(endpoint.html).not.toContain('<b>');
    expect(endpoint.html).toContain('https://hooks.example.org/&lt;b&gt;');
    // Only web addresses become links: a hostile case link is neutralised, its words still shown.
    const hostileLinks = { ...links, caseUrl: () => 'javascript:alert(1)' };
    const linked = renderEmail(notice(bodies.alert_raised), hostileLinks, options);
    expect(linked.html).not.toContain('javascript:');
    expect(linked.html).toContain('<a href="#">C-1042</a>');
  });

  it('a name smuggled onto a notice never reaches the email: templates read only ids, dates and kinds', () => {
    const withName = {
      ...notice(bodies.alert_raised),
      subject: { name: 'Ivan Testovich Primerov' },
      note: 'Seen by Ivan Testovich Primerov',
    } as Notice;
    const email = renderEmail(withName, links, options);
    for (const part of [email.subject, email.text, email.html, JSON.stringify(email.headers)]) {
      expect(part).not.toContain('Primerov');
    }
  });

  it('a kind the words do not know yet is shown by its key, not dropped', () => {
    const future = {
      caseId: 'C-9',
      kind: 'some_future_kind',
      since: '2026-03-01',
      days: 2,
    } as unknown as typeof expiring;
    expect(render({ kind: 'alert_raised', mention: mention(future) }).text).toContain('some_future_kind');
  });
});

describe('the words of both languages', () => {
  it('name every alert kind (and not_seen_at_hearing) and every recorded event type (and HearingHeld), in Cyrillic for Russian', () => {
    for (const words of Object.values(emailWords)) {
      for (const kind of [...alertKinds, 'not_seen_at_hearing'] as const) {
        expect(words.alertKinds[kind]).toBeTruthy();
        expect(words.alertDetails[kind]({ days: '3', dayCount: 3, since: 'S', due: 'D' })).toBeTruthy();
      }
      for (const type of [...recordedEventTypes, 'HearingHeld'] as const)
        expect(words.eventTypes[type]).toBeTruthy();
    }
    for (const name of [
      ...Object.values(emailWords.ru.alertKinds),
      ...Object.values(emailWords.ru.eventTypes),
    ]) {
      expect(name).toMatch(CYRILLIC);
    }
  });
});
