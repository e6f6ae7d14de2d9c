import { InvalidArgumentError } from 'commander';

/** `--concurrency <n>`: a whole number from 1 to 64. */
export function parseConcurrency(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > 64) {
    throw new InvalidArgumentError('a whole number from 1 to 64.');
  }
  return parsed;
}

/**
 * Why a case id is not one, or `undefined` when it is: the API's own rule (`identifierSchema`), loaded only
 * when a command runs so that `--help` stays fast.
 */
export async function caseIdProblem(value: string): Promise<string | undefined> {
  const { identifierSchema } = await import('../../domain/event-catalogue.ts');
  return identifierSchema.safeParse(value).success
    ? undefined
    : `error: '${value}' is not a case id: a case id is 1-128 of A-Z a-z 0-9 . _ : -, starting with a letter or digit`;
}

/** An ISO 8601 instant with its offset: `2026-03-01T09:00:00Z`, `2026-03-01T12:00+03:00`. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** `--at <instant>`: an ISO instant that says its offset, so nobody's local time zone decides the moment. */
export function parseInstant(value: string): Date {
  const at = INSTANT.test(value) ? new Date(value) : undefined;
  if (at === undefined || Number.isNaN(at.getTime())) {
    throw new InvalidArgumentError(
      'an ISO 8601 instant with its offset, e.g. 2026-03-01T09:00:00Z or 2026-03-01T12:00+03:00.',
    );
  }
  return at;
}

/** `--port <n>`: a TCP port, 0 letting the system pick a free one. */
export function parsePort(value: string): number {
  const parsed = Number(value);
  if (!/^\d{1,5}$/.test(value) || parsed > 65535) {
    throw new InvalidArgumentError('a port number from 0 to 65535.');
  }
  return parsed;
}

/**
 * `--name <name>`: a signed-note key name (C2SP signed-note): not empty, no spaces or `+`, printable UTF-8.
 * A schema-less URL by convention, e.g. `witness.ngo-b.example/w1`.
 */
export function parseKeyName(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here
  if (value.length === 0 || value.length > 255 || /[\s+\u0000-\u001f\u007f]/u.test(value)) {
    throw new InvalidArgumentError(
      'a key name of 1-255 characters without spaces or "+", such as witness.ngo-b.example/w1.',
    );
  }
  return value;
}

/** For a repeatable option: every value given, in order. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/** A tree size of the transparency log: a whole number written the one way, below 2^53. */
export function parseTreeSize(value: string): number {
  if (!/^(0|[1-9][0-9]{0,15})$/.test(value) || Number(value) > Number.MAX_SAFE_INTEGER) {
    throw new InvalidArgumentError('a tree size: a whole number without sign or leading zeros, below 2^53.');
  }
  return Number(value);
}

/** An event id: what the API gives them, a UUID. */
export function parseEventId(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    throw new InvalidArgumentError('an event id: a UUID, as the ledger gives them.');
  }
  return value.toLowerCase();
}
