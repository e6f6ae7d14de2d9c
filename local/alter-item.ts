/**
 * `npm run alter-item -- CASE VERSION FIELD VALUE` (or `--delete`): changes one stored event of the LOCAL
 * ledger behind the application's back, as someone with raw table access could — so a newcomer can watch
 * `verify`, proofs and the `ledger_tampered` alert catch it (README, "Audit history and proof").
 *
 * It refuses anything but a DynamoDB on this machine: on AWS the ledger's resource policy forbids it anyway,
 * and a tool that tampers must never be one keystroke away from real evidence.
 */
import './sdk-node-notice.ts';

const HELP = `Usage: npm run alter-item -- CASE_ID VERSION FIELD VALUE
       npm run alter-item -- CASE_ID VERSION --delete

Changes (or deletes) one stored event of the local ledger directly in DynamoDB Local, bypassing the API, to
see tampering caught. FIELD is a top-level field of the stored event (occurredAt, recordedBy, note, …);
VALUE is JSON if it parses as JSON, else a string. Only a DynamoDB on 127.0.0.1/localhost is accepted.

Example:
  npm run alter-item -- demo-eli-fictional 3 occurredAt '"2025-07-02"'`;

function fail(message: string, code = 2): never {
  console.error(`${message}\n\n${HELP}`);
  process.exit(code);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(HELP);
    return;
  }
  const [caseId, versionText, field, valueText] = args;
  const version = Number(versionText);
  if (!caseId || !Number.isInteger(version) || version < 1) fail('Give a case id and a version (1, 2, …).');
  const remove = field === '--delete';
  if (!remove && (!field || valueText === undefined)) fail('Give a field and a value, or --delete.');
  if (!remove && ['streamId', 'version'].includes(field!)) fail('The keys cannot be changed; use --delete.');

  // Loaded only once the arguments are good: a wrong command line is answered without loading the SDK.
  const { resolveTarget } = await import('./cli/cli-config.ts');
  const target = await resolveTarget();
  const endpoint = target.connection.endpoint;
  if (!endpoint || !/^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(endpoint)) {
    fail(
      'Refused: this only alters a DynamoDB on this machine (npm start, or DYNAMODB_ENDPOINT on loopback).',
      1,
    );
  }
  const [{ DeleteCommand, GetCommand, PutCommand }, { createDynamoDBClients }] = await Promise.all([
    import('@aws-sdk/lib-dynamodb'),
    import('../functions/dynamodb-clients.ts'),
  ]);
  const { documents } = createDynamoDBClients(target.connection);
  const key = { streamId: caseId, version };
  const { Item } = await documents.send(new GetCommand({ TableName: target.tables.ledger, Key: key }));
  if (Item?.itemKind !== 'event')
    fail(`No event ${caseId} version ${version} in ${target.tables.ledger}.`, 1);
  if (remove) {
    await documents.send(new DeleteCommand({ TableName: target.tables.ledger, Key: key }));
    console.log(`Deleted ${caseId} version ${version} from ${target.tables.ledger} at ${endpoint}.`);
    return;
  }
  let value: unknown = valueText;
  try {
    value = JSON.parse(valueText!);
  } catch {
    // Not JSON: a plain string.
  }
  await documents.send(
    new PutCommand({ TableName: target.tables.ledger, Item: { ...Item, [field!]: value } }),
  );
  console.log(
    `Set ${field} of ${caseId} version ${version} to ${JSON.stringify(value)} (was ${JSON.stringify(Item[field!])}).`,
  );
}

await main();
