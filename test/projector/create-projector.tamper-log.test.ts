import { randomUUID } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDBClients } from '../../functions/dynamodb-clients.ts';
import { createProjector } from '../../functions/projector/create-projector.ts';
import { createServices, type Services } from '../../functions/services.ts';
import { TamperLog } from '../../functions/store/tamper-log.ts';
import { detained, opening } from '../support/sample-events.ts';
import { createTestTables, type TestTables } from '../support/test-tables.ts';

/** An operator reads `error` as "act now": a change behind the application is said so once, not every restart. */

const clock = () => new Date('2026-11-24T12:00:00.000Z');

interface Logged {
  readonly level: 'error' | 'info';
  readonly message: unknown;
}

let db: TestTables;
let ledger: Services['ledger'];
let views: Services['views'];
let tamperLog: TamperLog;
const logged: Logged[] = [];

beforeAll(async () => {
  db = await createTestTables('tamper-logging');
  ({ ledger, views } = createServices({
    clients: db.clients,
    tables: db.tables,
    keyWrapper: db.keyWrapper,
    clock,
  }));
  tamperLog = new TamperLog({ documents: db.clients.documents, tableName: db.tables.ledger });
});
afterAll(() => db.drop());

function projector() {
  return createProjector({
    ledger,
    views,
    tamperLog,
    clock,
    logger: {
      error: (message: unknown, ..._extra: unknown[]) => {
        logged.push({ level: 'error', message });
      },
      info: (message: unknown, ..._extra: unknown[]) => {
        logged.push({ level: 'info', message });
      },
    },
  });
}

/** The MODIFY record DynamoDB Streams delivers when an event item is edited behind the application. */
function modified(caseId: string, version: number, sequenceNumber: string): DynamoDBRecord {
  const image = { itemKind: { S: 'event' } };
  return {
    eventName: 'MODIFY',
    dynamodb: {
      Keys: { streamId: { S: caseId }, version: { N: String(version) } },
      OldImage: image,
      NewImage: image,
      SequenceNumber: sequenceNumber,
    },
  };
}

describe('the projector, on a change behind the application', () => {
  it('logs ledger_tampered at error when first seen, and at info when the same record is read again', async () => {
    const caseId = `case-${randomUUID()}`;
    await ledger.append({
      caseId,
      events: [opening({ groupId: 'tamper-group' }), detained('2025-06-30')],
      expected: 'no_stream',
      recordedBy: 'tester',
    });
    const record = modified(caseId, 2, `${Date.now()}000001`);

    expect(await projector()({ Records: [record] })).toEqual({ batchItemFailures: [] });
    const errors = () => logged.filter((entry) => entry.level === 'error');
    expect(errors()).toHaveLength(1);
    expect(String(errors()[0]?.message)).toMatch(/^ledger_tampered/);

    // A restarted local runtime reads its stream again from the start: a new projector, the same record.
    expect(await projector()({ Records: [record] })).toEqual({ batchItemFailures: [] });
    expect(errors()).toHaveLength(1);
    expect(logged.filter((entry) => entry.level === 'info').map((entry) => entry.message)).toContain(
      'ledger_tampered already recorded for this stream record',
    );
    expect((await tamperLog.signals()).filter((signal) => signal.caseId === caseId)).toHaveLength(1);

    // A second, later change of the same event is new tampering: an error again.
    expect(await projector()({ Records: [modified(caseId, 2, `${Date.now()}000002`)] })).toEqual({
      batchItemFailures: [],
    });
    expect(errors()).toHaveLength(2);
  });

  it('takes a signal whose first write was kept but whose answer was lost for new, when the SDK retries it', async () => {
    const caseId = `case-${randomUUID()}`;
    // Its own clients, in front of the real DynamoDB Local: the first put is written, then its answer is lost
    // as a timeout would lose it, and the SDK sends the same put again.
    const clients = createDynamoDBClients({ endpoint: db.endpoint });
    let puts = 0;
    clients.client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'PutItemCommand' && ++puts === 1) {
          throw Object.assign(new Error('the answer was lost'), { name: 'TimeoutError' });
        }
        return result;
      },
      { step: 'deserialize', name: 'loseFirstAnswer' },
    );
    const flaky = new TamperLog({ documents: clients.documents, tableName: db.tables.ledger });
    const signal = { caseId, version: 2, change: 'modified' as const, detectedAt: clock().toISOString() };

    expect(await flaky.record(signal, `${Date.now()}000003`)).toBe(true);
    expect(puts).toBe(2);
    expect((await tamperLog.signals()).filter((kept) => kept.caseId === caseId)).toHaveLength(1);
    clients.client.destroy();
  });
});
