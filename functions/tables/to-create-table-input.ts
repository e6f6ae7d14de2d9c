import type {
  AttributeDefinition,
  CreateTableCommandInput,
  KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import type { KeyAttribute, TableDefinition } from './table-definitions.ts';

function keySchema(partitionKey: KeyAttribute, sortKey?: KeyAttribute): KeySchemaElement[] {
  const keys: KeySchemaElement[] = [{ AttributeName: partitionKey.name, KeyType: 'HASH' }];
  if (sortKey) keys.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
  return keys;
}

function attributeDefinitions(definition: TableDefinition): AttributeDefinition[] {
  const byName = new Map<string, KeyAttribute>();
  const all = [
    definition.partitionKey,
    definition.sortKey,
    ...definition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  for (const key of all) if (key) byName.set(key.name, key);
  return [...byName.values()].map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
}

/** `CreateTable` input for a table definition: on-demand billing, like the stack. */
export function toCreateTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  const indexes = definition.globalSecondaryIndexes;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: keySchema(definition.partitionKey, definition.sortKey),
    AttributeDefinitions: attributeDefinitions(definition),
    ...(indexes.length > 0 && {
      GlobalSecondaryIndexes: indexes.map((index) => ({
        IndexName: index.indexName,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection:
          typeof index.projection === 'string'
            ? { ProjectionType: index.projection }
            : { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.projection.include] },
      })),
    }),
    ...(definition.stream && {
      StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream },
    }),
  };
}
