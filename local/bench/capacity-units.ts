/**
 * What a DynamoDB read or write costs in capacity units, computed from the items as AWS documents it ("DynamoDB
 * item sizes and formats", "Capacity unit consumption for read and write operations", "Global secondary
 * indexes: writes"): for where DynamoDB Local reports nothing, for checking what it does report, and for what a
 * change of the indexes would cost before it is made. Pure: items in, units out.
 *
 * Items are in the document client's form (strings, numbers, booleans, null, `Uint8Array`, `Set`, arrays and
 * plain objects), as the stores write them.
 */
import type {
  IndexDefinition,
  KeyAttribute,
  TableDefinition,
} from '../../functions/tables/table-definitions.ts';

export type Item = Readonly<Record<string, unknown>>;

const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** A number's size: one byte per two significant digits, plus one; leading and trailing zeros do not count. */
function numberSize(value: number | bigint): number {
  const digits = String(value)
    .replace(/^-/, '')
    .replace(/e.*$/i, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

/** The size of a value without its name; `undefined` for a value the document client leaves out. */
function valueSize(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberSize(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) {
    let size = 0;
    for (const member of value) size += valueSize(member) ?? 0;
    return size;
  }
  // Lists and maps: 3 bytes of their own, and 1 byte for each element (a map's element also by its name).
  if (Array.isArray(value)) {
    return value.reduce<number>((sum, element) => sum + (valueSize(element) ?? 0) + 1, 3);
  }
  if (typeof value === 'object') {
    let size = 3;
    for (const [name, element] of Object.entries(value)) {
      const elementSize = valueSize(element);
      if (elementSize !== undefined) size += utf8(name) + elementSize + 1;
    }
    return size;
  }
  throw new TypeError(`no DynamoDB size for a ${typeof value}`);
}

/** An item's size in bytes: the UTF-8 length of each attribute's name plus the size of its value. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    const bytes = valueSize(value);
    if (bytes !== undefined) size += utf8(name) + bytes;
  }
  return size;
}

export type ReadConsistency = 'eventual' | 'strong' | 'transactional';

/** Read units for `bytes` read as one item (or one `Query`'s items together): 4 KB a unit, rounded up. */
export function readUnits(bytes: number, consistency: ReadConsistency = 'eventual'): number {
  const blocks = Math.max(1, Math.ceil(bytes / 4096));
  return consistency === 'eventual' ? blocks / 2 : consistency === 'strong' ? blocks : blocks * 2;
}

/** Write units for writing `bytes` as one item: 1 KB a unit, rounded up; a transaction writes twice. */
export function writeUnits(bytes: number, transactional = false): number {
  const blocks = Math.max(1, Math.ceil(bytes / 1024));
  return transactional ? blocks * 2 : blocks;
}

/** An index as this module reads it: the table's definitions, and `INCLUDE`, for weighing a projection. */
export interface CostedIndex {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly projection: IndexDefinition['projection'] | { readonly include: readonly string[] };
}

export interface CostedTable {
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly globalSecondaryIndexes: readonly CostedIndex[];
}

/**
 * What an index holds of an item: nothing when the item lacks the index's keys (the index is sparse there),
 * else the table's and the index's keys with the attributes the index projects.
 */
export function projectedItem(
  table: CostedTable | TableDefinition,
  index: CostedIndex,
  item: Item,
): Item | undefined {
  const indexKeys = [index.partitionKey, index.sortKey].filter((key) => key !== undefined);
  if (indexKeys.some((key) => item[key.name] === undefined)) return undefined;
  if (index.projection === 'ALL') return item;
  const kept = new Set(
    [table.partitionKey, table.sortKey, ...indexKeys].flatMap((key) => (key ? [key.name] : [])),
  );
  if (typeof index.projection === 'object') for (const name of index.projection.include) kept.add(name);
  return Object.fromEntries(Object.entries(item).filter(([name]) => kept.has(name)));
}

/** The write units one write consumes, on the table and on each index it touches. */
export interface WriteCost {
  readonly table: number;
  readonly indexes: Readonly<Record<string, number>>;
  readonly total: number;
}

function sameItem(a: Item, b: Item): boolean {
  return JSON.stringify(sortedEntries(a)) === JSON.stringify(sortedEntries(b));
}

function sortedEntries(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(sortedEntries).sort();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(sortedEntries);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .filter(([, element]) => element !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, element]) => [name, sortedEntries(element)]);
  }
  return value;
}

function indexKeyOf(index: CostedIndex, item: Item): string {
  return JSON.stringify([index.partitionKey, index.sortKey].map((key) => (key ? item[key.name] : null)));
}

/**
 * The write units of one write that turns `before` into `after` (a put, an update; `after` undefined for a
 * delete; `before` undefined for a new item). The table is charged for the larger of the two images; each index
 * as AWS documents: a put when the item enters it, a delete when it leaves, a delete and a put when its key in
 * the index changes, one write when only projected attributes change, and nothing when the index holds the item
 * neither before nor after, or holds it unchanged.
 *
 * In a transaction every write counts twice, on the indexes as on the table: DynamoDB Local charges it so
 * (AWS's pages say it for the table's items and do not single out the indexes).
 */
export function writeCost(
  table: CostedTable | TableDefinition,
  before: Item | undefined,
  after: Item | undefined,
  options: { readonly transactional?: boolean } = {},
): WriteCost {
  const transactional = options.transactional ?? false;
  const base = writeUnits(
    Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0),
    transactional,
  );
  const indexes: Record<string, number> = {};
  for (const index of table.globalSecondaryIndexes) {
    const old = before && projectedItem(table, index, before);
    const next = after && projectedItem(table, index, after);
    let units = 0;
    if (old && next) {
      if (indexKeyOf(index, old) !== indexKeyOf(index, next)) {
        units = writeUnits(itemSize(old), transactional) + writeUnits(itemSize(next), transactional);
      } else if (!sameItem(old, next)) {
        units = writeUnits(Math.max(itemSize(old), itemSize(next)), transactional);
      }
    } else if (old || next) {
      units = writeUnits(itemSize((old ?? next)!), transactional);
    }
    if (units > 0) indexes[index.indexName] = units;
  }
  const total = base + Object.values(indexes).reduce((sum, units) => sum + units, 0);
  return { table: base, indexes, total };
}
