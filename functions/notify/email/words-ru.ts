import type { EmailWords } from './words.ts';

/** Русские слова писем-уведомлений; названия тревог и событий те же, что в веб-приложении. */
export const wordsRu: EmailWords = {
  locale: 'ru',
  product: 'Detention Ledger',
  alertKinds: {
    ledger_tampered: 'Запись изменена',
    consular_visit_overdue: 'Консульское посещение просрочено',
    custody_term_expiring: 'Срок ареста истекает',
    custody_term_lapsed: 'Срок ареста истёк',
    no_news: 'Нет новостей',
    not_seen_at_hearing: 'Не видели на заседании',
  },
  alertDetails: {
    ledger_tampered: ({ version, change, since }) =>
      `Событие версии ${version ?? '?'} этого дела было ${change === 'removed' ? 'удалено' : 'изменено'} в обход приложения; это замечено ${since ?? 'недавно'}.`,
    consular_visit_overdue: ({ days, since }) =>
      `Консульского посещения не было ${days} — с ${since ?? 'задержания'}.`,
    custody_term_expiring: ({ days, dayCount, due }) =>
      dayCount === 0
        ? `Срок ареста истекает сегодня, ${due ?? ''}.`
        : `Срок ареста истекает ${due ?? '?'}, через ${days}.`,
    custody_term_lapsed: ({ days, since }) =>
      `Срок ареста истёк ${days} назад (первый день сверх срока — ${since ?? '?'}), а продление или освобождение не записано.`,
    no_news: ({ days, since }) => `Ничего не записано уже ${days} — с ${since ?? '?'}.`,
    not_seen_at_hearing: ({ days, since }) =>
      `На заседании ${since ?? '?'} (${days} назад) человека не видели.`,
  },
  eventTypes: {
    CaseOpened: 'Дело открыто',
    Detained: 'Задержание',
    Charged: 'Обвинение',
    ChargesChanged: 'Обвинение изменено',
    CustodyOrdered: 'Арест назначен',
    CustodyExtended: 'Арест продлён',
    HearingScheduled: 'Назначено заседание',
    HearingHeld: 'Заседание состоялось',
    Sentenced: 'Приговор',
    Acquitted: 'Оправдание',
    Transferred: 'Перевод',
    ConsularVisit: 'Консульское посещение',
    ConsularAccessDenied: 'Отказ в консульском доступе',
    FamilyContact: 'Связь с семьёй',
    Released: 'Освобождение',
    DiedInCustody: 'Смерть под стражей',
    Retracted: 'Отзыв записи',
    Erased: 'Персональные данные удалены',
  },
  tamperChanges: { modified: 'изменено', removed: 'удалено' },
  dayForms: { one: 'день', few: 'дня', many: 'дней', other: 'дня' },
  updateForms: { one: 'изменение', few: 'изменения', many: 'изменений', other: 'изменения' },
  labels: {
    case: 'Дело',
    group: 'Группа',
    alert: 'Тревога',
    raised: 'Впервые замечена',
    resolved: 'Снята',
    lasted: 'Длилась',
    event: 'Событие',
    version: 'Версия',
    occurred: 'Произошло',
    recorded: 'Записано',
    endpoint: 'Адрес',
    failingSince: 'Сбои с',
  },
  alertRaised: {
    subject: (kind, caseId) => `Тревога: ${kind} — дело ${caseId}`,
    intro: (caseId) => `По делу ${caseId} появилась новая тревога.`,
  },
  alertResolved: {
    subject: (kind, caseId) => `Снято: ${kind} — дело ${caseId}`,
    intro: (caseId) => `Тревога по делу ${caseId} снята.`,
    wasOpen: (from, to, lasted) => `Она длилась с ${from} по ${to} (${lasted}).`,
  },
  caseEvent: {
    subject: (type, caseId) => `Дело ${caseId}: ${type}`,
    intro: (caseId) => `В деле ${caseId} записано новое событие.`,
  },
  digest: {
    subject: (day, updates) => `Сводка за ${day}: ${updates}`,
    subjectNothingNew: (day) => `Сводка за ${day}: ничего нового`,
    intro: (day, timeZone) => `Что изменилось в отслеживаемых делах за ${day} (${timeZone}).`,
    nothingNew: (day) =>
      `За ${day} ничего нового: тревоги не появлялись и не снимались, открытых нет, событий не записано.`,
    raised: 'Новые тревоги',
    resolved: 'Снятые тревоги',
    open: 'Всё ещё открыты',
    events: 'События',
    eventLine: (type, occurred, recorded) => `${type}: произошло ${occurred}, записано ${recorded}`,
  },
  confirm: {
    subject: 'Подтвердите подписку на уведомления Detention Ledger',
    intro: 'Этот адрес указали, чтобы получать уведомления Detention Ledger.',
    action: 'Подтвердить подписку',
    nothingUntilConfirmed: 'Пока вы не перейдёте по ссылке выше, на этот адрес ничего не будет отправлено.',
    notYou:
      'Если вы этого не просили, просто не обращайте внимания на письмо: без подтверждения писем больше не будет.',
  },
  endpointDisabled: {
    subject: (host) => `Адрес веб-хуков отключён: ${host}`,
    intro: (url, since) =>
      `Адрес веб-хуков ${url} не принял ни одной доставки с ${since}, поэтому он отключён.`,
    nothingSent: 'Пока адрес отключён, уведомления на него не отправляются.',
    howToEnable:
      'Чтобы включить его снова, убедитесь, что получатель отвечает статусом 2xx; затем администратор может снова включить адрес в приложении.',
    action: 'Открыть приложение',
  },
  openCase: 'Открыть дело',
  today: 'сегодня',
  footer: {
    why: 'Вы получили это письмо, потому что подписаны на уведомления Detention Ledger.',
    manage: 'Управление подписками',
    unsubscribe: 'Отписаться',
  },
};
