import { z } from 'zod';

/** What tests read of an answered event's data; answers type event data as JSON, not by event type. */
const answeredData = z.looseObject({ subject: z.unknown() });
const answeredSubject = z.looseObject({ name: z.string() });

/** The subject an answered event's data names, in whatever form the caller was shown it. */
export function subjectIn(event: { readonly data: unknown } | undefined): unknown {
  return answeredData.parse(event?.data).subject;
}

/** The subject's name in an answered `CaseOpened` event (`[erased]` once erased); throws for any other event. */
export function openedSubjectName(
  event: { readonly type: string; readonly data: unknown } | undefined,
): string {
  if (event?.type !== 'CaseOpened') throw new Error(`expected a CaseOpened event, got ${event?.type}`);
  return answeredSubject.parse(subjectIn(event)).name;
}
