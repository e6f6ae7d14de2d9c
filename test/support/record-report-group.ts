import { expect } from 'vitest';
import { answered, type typedClient } from './api-client.ts';
import { reportCases } from './report-group.ts';

type Client = Awaited<ReturnType<typeof typedClient>>;

/**
 * Records the invented report group through the API, every batch at the moment it says it was recorded and in
 * recorded order: `setNow` moves the services' clock there before each request.
 */
export async function recordReportGroup(client: Client, setNow: (at: Date) => void): Promise<void> {
  const batches = reportCases
    .flatMap((item) => item.batches.map((batch, index) => ({ item, batch, index })))
    .sort((a, b) => a.batch.recordedAt.localeCompare(b.batch.recordedAt));
  for (const { item, batch, index } of batches) {
    setNow(new Date(batch.recordedAt));
    const answer =
      index === 0
        ? await answered(
            client.cases.$post({
              header: {},
              json: {
                caseId: item.caseId,
                subject: { name: `Test Person ${item.caseId}`, nationality: item.nationality },
                groupId: item.groupId,
                events: [...batch.events],
              },
            }),
          )
        : await answered(
            client.cases[':caseId'].events.$post({
              param: { caseId: item.caseId },
              header: {},
              json: { events: [...batch.events] },
            }),
          );
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  }
}
