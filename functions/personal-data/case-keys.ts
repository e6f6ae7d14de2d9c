import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { KeyWrapper } from './key-wrapper.ts';

export interface CaseKeysOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly wrapper: KeyWrapper;
  readonly clock: () => Date;
}

/**
 * The data key of each case, wrapped, one item per case in the keys table (`caseKeysTable`). Keys are never
 * cached across calls: once `destroy` returns, no instance of the API can read the case's subject again.
 */
export class CaseKeys {
  readonly #options: CaseKeysOptions;

  constructor(options: CaseKeysOptions) {
    this.#options = options;
  }

  /** The case's key; `undefined` when it never had one or it was destroyed. */
  async find(caseId: string): Promise<Buffer | undefined> {
    const { Item } = await this.#options.documents.send(
      new GetCommand({ TableName: this.#options.tableName, Key: { caseId }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return this.#options.wrapper.unwrap(caseId, String(Item.wrappedKey));
  }

  /** Whether the case has a key, without unwrapping it (no KMS call). */
  async exists(caseId: string): Promise<boolean> {
    const { Item } = await this.#options.documents.send(
      new GetCommand({
        TableName: this.#options.tableName,
        Key: { caseId },
        ProjectionExpression: 'caseId',
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  }

  /**
   * The case's key, made on first use. Two openings racing for one case end with the same key: the loser of
   * the conditional put reads the winner's.
   */
  async obtain(caseId: string): Promise<Buffer> {
    const existing = await this.find(caseId);
    if (existing) return existing;
    const { key, wrapped } = await this.#options.wrapper.generate(caseId);
    try {
      await this.#options.documents.send(
        new PutCommand({
          TableName: this.#options.tableName,
          Item: {
            caseId,
            wrappedKey: wrapped,
            wrappedBy: this.#options.wrapper.wrappedBy,
            createdAt: this.#options.clock().toISOString(),
          },
          ConditionExpression: 'attribute_not_exists(caseId)',
        }),
      );
      return key;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const winner = await this.find(caseId);
      if (!winner) throw new Error(`the key of case ${caseId} vanished while it was being made`);
      return winner;
    }
  }

  /** Deletes the case's key: every copy of its subject, in the ledger and in its backups, becomes unreadable. */
  async destroy(caseId: string): Promise<{ readonly existed: boolean }> {
    const { Attributes } = await this.#options.documents.send(
      new DeleteCommand({ TableName: this.#options.tableName, Key: { caseId }, ReturnValues: 'ALL_OLD' }),
    );
    return { existed: Attributes !== undefined };
  }
}
