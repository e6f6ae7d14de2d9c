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
