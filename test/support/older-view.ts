import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Projection } from '../../functions/store/stored-view.ts';
import { viewIndexKeys, viewKeys } from '../../functions/tables/view-keys.ts';
import type { TestTables } from './test-tables.ts';

/**
 * Stores a view as projection revision 3 wrote it, before counts were kept: the same item, without `counted`, and
 * no count moved. For tests of what the ledger makes of a views table written by an older version.
 */
export async function putViewAsRevision3(db: TestTables, { view, timeline, projectedAt }: Projection) {
  await db.clients.documents.send(
    new PutCommand({
      TableName: db.tables.views,
      Item: {
        ...viewKeys.view(view.caseId),
        version: view.version,
        projectionRevision: 3,
        view,
        timeline,
        projectedAt: projectedAt.toISOString(),
        ...viewIndexKeys(view),
      },
    }),
  );
}
