import { z } from 'zod';

/** The part of an answered subject tests read; answers type event data as JSON, not by event type. */
const answeredSubject = z.looseObject({ name: z.string() });

/** The subject's name in an answered `CaseOpened` event (`[erased]` once erased); throws for any other event. */
export function openedSubjectName(
  event: { readonly type: string; readonly data: unknown } | undefined,
): string {
  if (event?.type !== 'CaseOpened') throw new Error(`expected a CaseOpened event, got ${event?.type}`);
  return answeredSubject.parse(z.looseObject({ subject: z.unknown() }).parse(event.data).subject).name;
}
