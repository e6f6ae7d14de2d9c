import { beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../domain/stored-event.ts';
import { toEventItem, toGuardItem } from '../../functions/store/ledger-items.ts';
import { opening } from '../support/sample-events.ts';
import { type LedgerTemplate, logicalIdOf, synthLedgerTemplate } from './ledger-template.ts';

let synth: LedgerTemplate;
let mapping: Record<string, unknown>;

beforeAll(() => {
  synth = synthLedgerTemplate({
    projectorRetryAttempts: 4,
    projectorMaxRecordAgeHours: 2,
    projectorParallelization: 3,
  });
  // The projector's among the stream's readers (the log's integrator is another).
  const mappings = Object.values(
    synth.template.findResources('AWS::Lambda::EventSourceMapping', {
      Properties: { FunctionName: { Ref: logicalIdOf(synth.stack, synth.stack.projector.function) } },
    }),
  );
  expect(mappings).toHaveLength(1);
  mapping = (mappings[0] as { Properties: Record<string, unknown> }).Properties;
});

type Image = Record<string, { S: string } | { N: string }>;

/** The top-level string and number attributes of an item, as a stream record's image has them. */
function image(item: Record<string, unknown>): Image {
  const image: Image = {};
  for (const [name, value] of Object.entries(item)) {
    if (typeof value === 'string') image[name] = { S: value };
    if (typeof value === 'number') image[name] = { N: String(value) };
  }
  return image;
}

/**
 * Lambda's event filtering for the patterns the stack uses: every key of the pattern must be in the record,
 * and a list of values matches when the record's value is one of them.
 */
function matches(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.includes(value);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern as Record<string, unknown>).every(([key, inner]) =>
    matches(inner, (value as Record<string, unknown>)[key]),
  );
}

function invokes(record: { eventName: string; dynamodb: { NewImage?: Image; OldImage?: Image } }): boolean {
  const { Filters } = mapping.FilterCriteria as { Filters: { Pattern: string }[] };
  return Filters.some((filter) => matches(JSON.parse(filter.Pattern), record));
}

const event = toEventItem({
  ...opening(),
  streamId: 'case-1',
  version: 1,
  recordedAt: '2025-07-01T10:00:00.000Z',
  recordedBy: 'recorder',
  prevHash: 'genesis',
  hash: 'hash-1',
} as StoredEvent);
const guard = toGuardItem(
  { eventId: 'event-1', caseId: 'case-1', eventVersion: 1, type: 'CaseOpened', fingerprint: 'f' },
  '2025-07-01T10:00:00.000Z',
);

describe("the projector's stream event source", () => {
  it("reads the ledger's stream from its oldest record", () => {
    expect(mapping.EventSourceArn).toEqual({
      'Fn::GetAtt': [logicalIdOf(synth.stack, synth.stack.tables.ledger), 'StreamArn'],
    });
    expect(mapping.FunctionName).toEqual({ Ref: logicalIdOf(synth.stack, synth.stack.projector.function) });
    expect(mapping.StartingPosition).toBe('TRIM_HORIZON');
  });

  it('reports failures per record, bisects failing batches, and bounds retries and record age as configured', () => {
    expect(mapping).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 4,
      MaximumRecordAgeInSeconds: 2 * 3600,
      ParallelizationFactor: 3,
    });
  });

  it('sends what it gives up on to an encrypted SQS dead-letter queue that keeps messages 14 days', () => {
    const queueId = logicalIdOf(synth.stack, synth.stack.projector.deadLetterQueue);
    expect(mapping.DestinationConfig).toEqual({
      OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    });
    expect(synth.template.findResources('AWS::SQS::Queue')[queueId]).toMatchObject({
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 },
    });
  });

  it('is invoked by every insert of an event', () => {
    expect(invokes({ eventName: 'INSERT', dynamodb: { NewImage: image(event) } })).toBe(true);
  });

  it('is invoked by any modification or removal of an event, whatever the item became', () => {
    const changed = image({ ...event, hash: 'forged' });
    const stripped = image({ ...event, itemKind: undefined });
    expect(invokes({ eventName: 'MODIFY', dynamodb: { OldImage: image(event), NewImage: changed } })).toBe(
      true,
    );
    expect(invokes({ eventName: 'MODIFY', dynamodb: { OldImage: image(event), NewImage: stripped } })).toBe(
      true,
    );
    expect(invokes({ eventName: 'REMOVE', dynamodb: { OldImage: image(event) } })).toBe(true);
  });

  it('is not invoked by items that are not events', () => {
    expect(invokes({ eventName: 'INSERT', dynamodb: { NewImage: image(guard) } })).toBe(false);
    expect(
      invokes({ eventName: 'MODIFY', dynamodb: { OldImage: image(guard), NewImage: image(guard) } }),
    ).toBe(false);
    expect(invokes({ eventName: 'REMOVE', dynamodb: { OldImage: image(guard) } })).toBe(false);
  });
});
