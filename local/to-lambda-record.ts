import type {
  AttributeValue as SdkAttributeValue,
  _Record as SdkStreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, StreamRecord } from 'aws-lambda';

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * One attribute value in the JSON shape Lambda delivers: the SDK decodes binary into `Uint8Array`, while a Lambda
 * event carries it base64-encoded, exactly as the wire format does. Everything else is copied member by member,
 * so a nested map or list converts all the way down.
 */
export function toLambdaAttributeValue(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: [...value.SS] };
  if (value.NS !== undefined) return { NS: [...value.NS] };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaAttributeValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  // The SDK reads an empty map of a stream image (`{"M":{}}` on the wire) as a value with no member at all;
  // Lambda delivers it as the empty map it is. An event with no data fields (`DiedInCustody`) has one.
  if (Object.keys(value).length === 0) return { M: {} };
  throw new Error(`unknown attribute value member: ${Object.keys(value).join(', ')}`);
}

/** An item image (`Keys`, `NewImage`, `OldImage`) in Lambda's shape. */
export function toLambdaImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(image).map(([name, value]) => [name, toLambdaAttributeValue(value)]),
  );
}

function toLambdaStreamRecord(record: NonNullable<SdkStreamRecord['dynamodb']>): StreamRecord {
  return {
    // Lambda gives epoch seconds where the SDK parses the wire's number into a Date.
    ...(record.ApproximateCreationDateTime && {
      ApproximateCreationDateTime: Math.floor(record.ApproximateCreationDateTime.getTime() / 1000),
    }),
    ...(record.Keys && { Keys: toLambdaImage(record.Keys) }),
    ...(record.NewImage && { NewImage: toLambdaImage(record.NewImage) }),
    ...(record.OldImage && { OldImage: toLambdaImage(record.OldImage) }),
    ...(record.SequenceNumber !== undefined && { SequenceNumber: record.SequenceNumber }),
    ...(record.SizeBytes !== undefined && { SizeBytes: record.SizeBytes }),
    ...(record.StreamViewType !== undefined && { StreamViewType: record.StreamViewType }),
  };
}

export interface LambdaRecordContext {
  /** The stream's ARN, which Lambda reports as the record's `eventSourceARN`. */
  readonly streamArn: string;
  /** Used when the Streams API leaves `awsRegion` out. */
  readonly region: string;
}

/**
 * Turns a record read with the DynamoDB Streams API into the record a Lambda function subscribed to the same
 * stream receives, so the projector cannot tell the local poller from the event source mapping.
 *
 * @example
 * ```ts
 * const records = output.Records.map((r) => toLambdaRecord(r, { streamArn, region: 'local' }));
 * await handler({ Records: records });
 * ```
 */
export function toLambdaRecord(record: SdkStreamRecord, context: LambdaRecordContext): DynamoDBRecord {
  return {
    ...(record.eventID !== undefined && { eventID: record.eventID }),
    ...(record.eventName !== undefined && { eventName: record.eventName }),
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion ?? context.region,
    ...(record.dynamodb && { dynamodb: toLambdaStreamRecord(record.dynamodb) }),
    eventSourceARN: context.streamArn,
    ...(record.userIdentity && { userIdentity: { ...record.userIdentity } }),
  };
}
