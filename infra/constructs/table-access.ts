import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { TableDefinition } from '../../functions/tables/table-definitions.ts';

/**
 * The DynamoDB actions each kind of access allows, and nothing more: the stores read with `GetItem`,
 * `BatchGetItem` and `Query` (never `Scan`), and write with conditional `PutItem`s, alone or in a
 * `TransactWriteItems` (which IAM authorizes as a `PutItem` per item). `get` and `delete` are for the case
 * keys alone, which are read one at a time and deleted to erase a case; no grant deletes anything else.
 * `update` is for items whose state moves: the views table's registry of groups (an `ADD` to a string set),
 * the notifications (a subscription's state, the outbox) and the log's state item (its compare-and-swap).
 */
export const TABLE_ACCESS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  get: ['dynamodb:GetItem'],
  put: ['dynamodb:PutItem'],
  update: ['dynamodb:UpdateItem'],
  delete: ['dynamodb:DeleteItem'],
} as const;

export type TableAccess = keyof typeof TABLE_ACCESS;

export interface TableAccessOptions {
  /**
   * Only items whose partition key matches one of these IAM `StringLike` patterns (`*` for any characters):
   * the condition `ForAllValues:StringLike` on `dynamodb:LeadingKeys`. Unset: any item of the table.
   */
  readonly leadingKeys?: readonly string[];
}

/**
 * Grants one kind of access to a table. Reads reach the table and each of its indexes by name (no `index/*`
 * wildcard); the other kinds reach the table only.
 */
export function grantTableAccess(
  grantee: IGrantable,
  table: ITableV2,
  definition: TableDefinition,
  access: TableAccess,
  options: TableAccessOptions = {},
): Grant {
  const indexArns =
    access === 'read'
      ? definition.globalSecondaryIndexes.map((index) => `${table.tableArn}/index/${index.indexName}`)
      : [];
  return Grant.addToPrincipal({
    grantee,
    actions: [...TABLE_ACCESS[access]],
    resourceArns: [table.tableArn, ...indexArns],
    ...(options.leadingKeys && {
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...options.leadingKeys] } },
    }),
  });
}
