import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { IdentifiedEvent, RetractionTarget } from '../../domain/append-rules.ts';
import { EventIdConflictError } from '../../domain/errors.ts';
import { carriesFreeTexts } from '../../domain/free-text-fields.ts';
import type { StoredEvent } from '../../domain/stored-event.ts';
import type { CaseSeal } from '../personal-data/subject-vault.ts';
import { ledgerKeys } from '../tables/ledger-keys.ts';
import { expectedFingerprint, type FingerprintedAppend } from './event-fingerprints.ts';
import { type EventIdGuard, fromGuardItem } from './ledger-items.ts';

/** What a replay compares of an append: its events and who sends them. */
export interface GuardedAppend extends FingerprintedAppend {
  readonly events: readonly IdentifiedEvent[];
  readonly recordedBy: string;
}

/** An earlier append's events, found again: what a retry of it is answered with. */
export interface RecordedAppend {
  /** The stream's version after that append's last event. */
  readonly version: number;
  readonly events: readonly StoredEvent[];
}

export interface EventIdGuardsOptions {
  readonly documents: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly readRange: (caseId: string, first: number, last: number) => Promise<StoredEvent[]>;
  /** The key of an open case, the throwaway seal of an erased one, or none. */
  readonly existingSeal: (caseId: string) => Promise<CaseSeal | undefined>;
}

/**
 * The event-id guards: one item per event id across the whole ledger, written in the append's transaction,
 * which make appends idempotent by id and tell a retry from a reuse of an id for other content.
 */
export class EventIdGuards {
  readonly #options: EventIdGuardsOptions;

  constructor(options: EventIdGuardsOptions) {
    this.#options = options;
  }

  /** The guards of the given event ids that exist, read strongly consistent so a just-won race is seen. */
  async find(eventIds: readonly string[]): Promise<Map<string, EventIdGuard>> {
    const { documents, tableName } = this.#options;
    const found = new Map<string, EventIdGuard>();
    const unique = [...new Set(eventIds)];
    for (let start = 0; start < unique.length; start += 100) {
      let keys: Record<string, unknown>[] | undefined = unique
        .slice(start, start + 100)
        .map(ledgerKeys.eventIdGuard);
      while (keys && keys.length > 0) {
        const result: BatchGetCommandOutput = await documents.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[tableName] ?? []) {
          const guard = fromGuardItem(item);
          found.set(guard.eventId, guard);
        }
        keys = result.UnprocessedKeys?.[tableName]?.Keys;
      }
    }
    return found;
  }

  /** Where and what the events that `Retracted` events name are, for the append rules. */
  async retractionTargets(events: readonly IdentifiedEvent[]): Promise<Map<string, RetractionTarget>> {
    const targetIds = events.flatMap((event) => (event.type === 'Retracted' ? [event.data.eventId] : []));
    const guards = await this.find(targetIds);
    return new Map(
      [...guards].map(([eventId, guard]) => [eventId, { streamId: guard.caseId, type: guard.type }]),
    );
  }

  /**
   * The earlier append this one retries, when every event was recorded before; `undefined` when none was; a
   * conflict when only some were, or differently. `known` is the case's seal when the caller holds it already.
   *
   * A replay of events that carry personal data goes only to the principal who recorded them: they know what
   * they sent. Anyone else gets the same conflict whether or not their content matched, and their content is
   * never compared, or a recorder without the right to see the person could confirm a guessed name by
   * replaying the opening's event id with it.
   */
  async recordedAppend(request: GuardedAppend, known?: CaseSeal): Promise<RecordedAppend | undefined> {
    const guards = await this.find(request.events.map((event) => event.eventId));
    if (guards.size === 0) return undefined;
    // In the request's order, so that the same request always names the same event.
    for (const event of request.events) {
      const guard = guards.get(event.eventId);
      if (guard && guard.caseId !== request.caseId) {
        throw new EventIdConflictError(event.eventId, 'belongs to another case');
      }
    }
    for (const event of request.events) {
      if (!guards.has(event.eventId)) {
        throw new EventIdConflictError(
          [...guards.keys()][0]!,
          'was recorded by an earlier append that did not carry all of these events; resend that append unchanged, or use new ids',
        );
      }
    }
    const versions = [...guards.values()].map((guard) => guard.eventVersion);
    const stored = await this.#options.readRange(
      request.caseId,
      Math.min(...versions),
      Math.max(...versions),
    );
    const byId = new Map(stored.map((event) => [event.eventId, event]));
    const original = request.events.map((event) => byId.get(event.eventId)!);
    for (const [index, event] of request.events.entries()) {
      if (carriesFreeTexts(event.type) && original[index]!.recordedBy !== request.recordedBy) {
        throw new EventIdConflictError(
          event.eventId,
          'was recorded by another principal; only they can retry it: use a new id',
        );
      }
    }
    const needsKey = request.events.some((event) => carriesFreeTexts(event.type));
    const seal = needsKey ? (known ?? (await this.#options.existingSeal(request.caseId))) : undefined;
    for (const event of request.events) {
      const recorded = guards.get(event.eventId)!.fingerprint;
      if (recorded !== expectedFingerprint(event, request, recorded, seal)) {
        throw new EventIdConflictError(event.eventId, 'was recorded with different content');
      }
    }
    return { version: Math.max(...versions), events: original };
  }
}
