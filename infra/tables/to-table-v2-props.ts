import {
  type Attribute,
  AttributeType,
  type GlobalSecondaryIndexPropsV2,
  ProjectionType,
  StreamViewType,
  type TablePropsV2,
} from 'aws-cdk-lib/aws-dynamodb';
import type { KeyAttribute, TableDefinition } from '../../functions/tables/table-definitions.ts';

/** The part of `TableV2` props that the shared definition decides: keys, indexes and stream. */
export type TableShapeProps = Pick<
  TablePropsV2,
  'partitionKey' | 'sortKey' | 'globalSecondaryIndexes' | 'dynamoStream'
>;

const ATTRIBUTE_TYPES = { S: AttributeType.STRING, N: AttributeType.NUMBER } as const;
const PROJECTIONS = { ALL: ProjectionType.ALL, KEYS_ONLY: ProjectionType.KEYS_ONLY } as const;
const STREAM_VIEWS = { NEW_AND_OLD_IMAGES: StreamViewType.NEW_AND_OLD_IMAGES } as const;

function attribute(key: KeyAttribute): Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

/**
 * `TableV2` props for a table definition: the stack's mirror of `toCreateTableInput`, so the table on AWS has
 * exactly the keys, indexes and stream of the table the local runtime creates. Everything else (billing,
 * protection, encryption) is the stack's to decide.
 */
export function toTableV2Props(definition: TableDefinition): TableShapeProps {
  return {
    partitionKey: attribute(definition.partitionKey),
    ...(definition.sortKey && { sortKey: attribute(definition.sortKey) }),
    globalSecondaryIndexes: definition.globalSecondaryIndexes.map(
      (index): GlobalSecondaryIndexPropsV2 => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey && { sortKey: attribute(index.sortKey) }),
        ...(typeof index.projection === 'string'
          ? { projectionType: PROJECTIONS[index.projection] }
          : { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.projection.include] }),
      }),
    ),
    ...(definition.stream && { dynamoStream: STREAM_VIEWS[definition.stream] }),
  };
}
