// Over 300 lines on purpose: the master-key rotation of an erasure (#eraseAndRotate … #replaceWrapped) shares
// this class's queue of exclusive work and its pending erasures with the making and finding of keys; a key
// made while a rotation runs must be waited for, or it is lost. Split apart, that state would have to be shared
// across modules, which is where such a race would hide.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { caseKeyKeys } from '../tables/case-key-keys.ts';
import type { KeyRotation, KeyWrapper } from './key-wrapper.ts';
import { MasterKeyNotHeldError } from './local-key-wrapper.ts';

export interface CaseKeysOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly wrapper: KeyWrapper;
  readonly clock: () => Date;
}

/** A case key as the keys table holds it: wrapped, never in clear. What a key backup carries. */
export interface WrappedCaseKey {
  readonly caseId: string;
  readonly wrappedKey: string;
  readonly wrappedBy: string;
  readonly createdAt: string;
}

/** What a master-key rotation did. */
export interface RotationReport {
  readonly rewrapped: number;
  /** Keys no master key held opens (wrapped by a destroyed one, or altered): left as they are, unreadable. */
  readonly unreadable: number;
}

/** How many case keys a rotation re-wraps at once. */
const REWRAP_CONCURRENCY = 8;

/** How many passes over the keys table a rotation makes before it gives up on items that keep changing. */
const MAX_REWRAP_PASSES = 5;

interface PendingErasure {
  readonly caseId: string;
  readonly resolve: (result: { readonly existed: boolean }) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The data key of each case, wrapped, one item per case in the keys table (`caseKeysTable`). Keys are never
 * cached across calls: once `destroy` returns, no instance of the API can read the case's subject again.
 *
 * With a wrapper that rotates (a local master key), every erasure also replaces the master key, in an order
 * that a crash at any point cannot turn into a lost key: the new master key is kept first, then the case key
 * is deleted and every other re-wrapped under the new master key, and only then is the old master key
 * destroyed. An interrupted rotation leaves both master keys held, and `finishRotation` (run at start)
 * completes it.
 */
export class CaseKeys {
  readonly #options: CaseKeysOptions;
  /** Keys being made now: a rotation waits for those wrapped under the master key it is about to retire. */
  readonly #making = new Set<Promise<unknown>>();
  /** Erasures waiting for the next rotation: those that arrive while one runs share the following one. */
  #erasures: PendingErasure[] = [];
  /** Rotations run one at a time. */
  #rotations: Promise<void> = Promise.resolve();

  constructor(options: CaseKeysOptions) {
    this.#options = options;
  }

  /**
   * The case's key; `undefined` when it never had one or it was destroyed — its item deleted, or the master
   * key that wrapped it destroyed (a copy of an item from before a rotation, put back by hand).
   */
  async find(caseId: string): Promise<Buffer | undefined> {
    for (let attempt = 1; ; attempt++) {
      const item = await this.#item(caseId);
      if (!item) return undefined;
      try {
        return await this.#options.wrapper.unwrap(caseId, String(item.wrappedKey));
      } catch (error) {
        if (!(error instanceof MasterKeyNotHeldError)) throw error;
        // Read again once: a rotation may have re-wrapped it and retired its master key since the read.
        if (attempt > 1) return undefined;
      }
    }
  }

  async #item(caseId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.#options.documents.send(
      new GetCommand({
        TableName: this.#options.tableName,
        Key: caseKeyKeys.key(caseId),
        ConsistentRead: true,
      }),
    );
    return Item;
  }

  /** Whether the case has a key, without unwrapping it (no KMS call). */
  async exists(caseId: string): Promise<boolean> {
    const { Item } = await this.#options.documents.send(
      new GetCommand({
        TableName: this.#options.tableName,
        Key: caseKeyKeys.key(caseId),
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
    const making = this.#make(caseId);
    this.#making.add(making);
    try {
      return await making;
    } finally {
      this.#making.delete(making);
    }
  }

  async #make(caseId: string): Promise<Buffer> {
    const { key, wrapped } = await this.#options.wrapper.generate(caseId);
    try {
      await this.#options.documents.send(
        new PutCommand({
          TableName: this.#options.tableName,
          Item: {
            ...caseKeyKeys.key(caseId),
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

  /**
   * Deletes the case's key: every copy of its subject, in the ledger and in its backups, becomes unreadable.
   * With a rotating wrapper it resolves once the master key that wrapped it is destroyed too.
   */
  destroy(caseId: string): Promise<{ readonly existed: boolean }> {
    const rotation = this.#options.wrapper.rotation;
    if (!rotation) return this.#delete(caseId);
    return new Promise((resolve, reject) => {
      this.#erasures.push({ caseId, resolve, reject });
      if (this.#erasures.length === 1) this.#exclusively(() => this.#eraseAndRotate(rotation));
    });
  }

  /** Completes a rotation a crash interrupted (older master keys still held); nothing to do otherwise. */
  finishRotation(): Promise<RotationReport> {
    const rotation = this.#options.wrapper.rotation;
    if (!rotation?.pending) return Promise.resolve({ rewrapped: 0, unreadable: 0 });
    return this.#exclusively(() => this.#rewrapAndRetire(rotation));
  }

  /** Every case key as stored, wrapped: what `ledger keys backup` writes. Reads the whole table. */
  async *wrappedKeys(): AsyncGenerator<WrappedCaseKey> {
    for await (const item of this.#scan()) {
      yield {
        caseId: String(item.caseId),
        wrappedKey: String(item.wrappedKey),
        wrappedBy: String(item.wrappedBy),
        createdAt: String(item.createdAt),
      };
    }
  }

  /** Puts back a case key from a backup unless the case has one; `false` when it had. Callers vet the case. */
  async restoreWrapped(key: WrappedCaseKey): Promise<boolean> {
    try {
      await this.#options.documents.send(
        new PutCommand({
          TableName: this.#options.tableName,
          Item: { ...key, restoredAt: this.#options.clock().toISOString() },
          ConditionExpression: 'attribute_not_exists(caseId)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  #exclusively<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#rotations.then(work);
    this.#rotations = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #eraseAndRotate(rotation: KeyRotation): Promise<void> {
    const erasures = this.#erasures.splice(0);
    let unkept: { readonly error: unknown } | undefined;
    try {
      // The new master key is kept before anything changes: from here on a crash leaves a pending rotation,
      // which the next start finishes, and every case key readable by one of the keys held.
      await rotation.advance();
    } catch (error) {
      // No new master key could be kept (a full disk, a folder gone): the keys are deleted all the same, so
      // the erasure holds through the API, and the request fails, so that its retry rotates again.
      unkept = { error };
    }
    try {
      // Keys being made were wrapped by the master key this rotation retires: let them land first, so the
      // re-wrap below sees them.
      await Promise.allSettled([...this.#making]);
      const results: { readonly existed: boolean }[] = [];
      for (const { caseId } of erasures) results.push(await this.#delete(caseId));
      if (unkept) throw unkept.error;
      await this.#rewrapAndRetire(rotation);
      for (const [index, erasure] of erasures.entries()) erasure.resolve(results[index]!);
    } catch (error) {
      for (const erasure of erasures) erasure.reject(error);
    }
  }

  async #delete(caseId: string): Promise<{ readonly existed: boolean }> {
    const { Attributes } = await this.#options.documents.send(
      new DeleteCommand({
        TableName: this.#options.tableName,
        Key: caseKeyKeys.key(caseId),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return { existed: Attributes !== undefined };
  }

  /**
   * Re-wraps every case key not under the newest master key, then destroys the older master keys. Each update
   * is conditional on the wrapped key it read, so a key deleted meanwhile is never written back; passes repeat
   * until one finds nothing left to move.
   */
  async #rewrapAndRetire(rotation: KeyRotation): Promise<RotationReport> {
    let rewrapped = 0;
    for (let pass = 1; ; pass++) {
      const counts = { rewrapped: 0, unreadable: 0, raced: 0, current: 0 };
      for await (const page of this.#scanPages()) {
        for (let start = 0; start < page.length; start += REWRAP_CONCURRENCY) {
          const batch = page.slice(start, start + REWRAP_CONCURRENCY);
          for (const outcome of await Promise.all(batch.map((item) => this.#rewrap(rotation, item)))) {
            counts[outcome] += 1;
          }
        }
      }
      rewrapped += counts.rewrapped;
      const { unreadable, raced } = counts;
      if (raced === 0) {
        await rotation.retireOlder();
        return { rewrapped, unreadable };
      }
      if (pass >= MAX_REWRAP_PASSES) {
        throw new Error(
          `case keys kept changing during ${pass} passes of a master-key rotation; it stays pending`,
        );
      }
    }
  }

  async #rewrap(
    rotation: KeyRotation,
    item: Record<string, unknown>,
  ): Promise<'rewrapped' | 'unreadable' | 'raced' | 'current'> {
    const caseId = String(item.caseId);
    const wrapped = String(item.wrappedKey);
    if (rotation.isCurrent(wrapped)) return 'current';
    let fresh: string;
    try {
      fresh = await rotation.rewrap(caseId, wrapped);
    } catch {
      return 'unreadable';
    }
    return (await this.#replaceWrapped(caseId, wrapped, fresh)) ? 'rewrapped' : 'raced';
  }

  async #replaceWrapped(caseId: string, wrapped: string, fresh: string): Promise<boolean> {
    try {
      await this.#options.documents.send(
        new UpdateCommand({
          TableName: this.#options.tableName,
          Key: caseKeyKeys.key(caseId),
          UpdateExpression: 'SET wrappedKey = :fresh, wrappedBy = :by, rewrappedAt = :at',
          ConditionExpression: 'wrappedKey = :old',
          ExpressionAttributeValues: {
            ':fresh': fresh,
            ':old': wrapped,
            ':by': this.#options.wrapper.wrappedBy,
            ':at': this.#options.clock().toISOString(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async *#scan(): AsyncGenerator<Record<string, unknown>> {
    for await (const page of this.#scanPages()) yield* page;
  }

  async *#scanPages(): AsyncGenerator<Record<string, unknown>[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.#options.documents.send(
        new ScanCommand({
          TableName: this.#options.tableName,
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      yield page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }
}
