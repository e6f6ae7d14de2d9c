import { Writable } from 'node:stream';
import type { IdentifiedEvent } from '../../domain/append-rules.ts';
import type { Services } from '../../functions/services.ts';
import type { CommandContext } from '../../local/cli/command-context.ts';
import { progressOn } from '../../local/cli/progress.ts';
import { consularVisit, detained, opening, released } from '../support/sample-events.ts';

/** A stream that keeps what was written to it, like a pipe or a file would: not a terminal. */
export class TextSink extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

export interface Harness {
  readonly context: CommandContext;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
}

/** A command context over test services, writing into sinks; plain progress lines every `every` items. */
export function harness(
  services: Pick<Services, 'ledger' | 'views' | 'digests' | 'caseKeys'>,
  options: { clock?: () => Date; signal?: AbortSignal; every?: number } = {},
): Harness {
  const stdout = new TextSink();
  const stderr = new TextSink();
  return {
    stdout,
    stderr,
    context: {
      ledger: services.ledger,
      views: services.views,
      digests: services.digests,
      caseKeys: services.caseKeys,
      stdout,
      stderr,
      progress: progressOn(stderr, { every: options.every ?? 1000 }),
      clock: options.clock ?? (() => new Date()),
      ...(options.signal && { signal: options.signal }),
    },
  };
}

/** An invented person per case: Test Person A, B, … */
export function testPerson(index: number): string {
  return `Test Person ${String.fromCharCode(65 + (index % 26))}${index >= 26 ? Math.floor(index / 26) : ''}`;
}

/**
 * The events of a case after its opening: detained, then consular visits on distinct exact days (no uncertain
 * dates, so a fold does not depend on its `asOf`), and a release for every third case.
 */
export function storyOf(index: number, length: number): IdentifiedEvent[] {
  const events: IdentifiedEvent[] = [detained('2025-06-30', `Facility ${index % 3}`)];
  const start = Date.parse('2025-07-01T00:00:00Z');
  const releasedToo = index % 3 === 0 && length > 1;
  for (let visit = 0; events.length < length - (releasedToo ? 1 : 0); visit++) {
    events.push(consularVisit(new Date(start + visit * 86_400_000).toISOString().slice(0, 10)));
  }
  if (releasedToo) events.push(released('2026-01-15'));
  return events;
}

/** Opens a case and appends its story, at most 50 events per append; resolves to how many events it stored. */
export async function seedCase(
  services: Pick<Services, 'ledger'>,
  caseId: string,
  index: number,
  length: number,
): Promise<number> {
  const [first, ...rest] = [
    opening({ subject: { name: testPerson(index), nationality: 'Utopia' } }),
    ...storyOf(index, length - 1),
  ];
  await services.ledger.append({ caseId, events: [first!], expected: 'no_stream', recordedBy: 'cli-test' });
  for (let start = 0; start < rest.length; start += 50) {
    await services.ledger.append({
      caseId,
      events: rest.slice(start, start + 50),
      expected: 'stream_exists',
      recordedBy: 'cli-test',
    });
  }
  return 1 + rest.length;
}
