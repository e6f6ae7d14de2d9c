import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { TableDefinition } from '../../functions/tables/table-definitions.ts';

/**
 * The DynamoDB actions each kind of access allows, and nothing more: the stores read with `GetItem`,
 * `BatchGetItem` and `Query` (never `Scan`), and write with conditional `PutItem`s, alone or in a
 * `TransactWriteItems` (which IAM authorizes as a `PutItem` per item).
 */
export const TABLE_ACCESS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  put: ['dynamodb:PutItem'],
} as const;

export type TableAccess = keyof typeof TABLE_ACCESS;

/**
 * Grants one kind of access to a table. Reads reach the table and each of its indexes by name (no `index/*`
 * wildcard); puts reach the table only.
 */
export function grantTableAccess(
  grantee: IGrantable,
  table: ITableV2,
  definition: TableDefinition,
  access: TableAccess,
): Grant {
  const indexArns =
    access === 'read'
      ? definition.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`)
      : [];
  return Grant.addToPrincipal({
    grantee,
    actions: [...TABLE_ACCESS[access]],
    resourceArns: [table.tableArn, ...indexArns],
  });
}
