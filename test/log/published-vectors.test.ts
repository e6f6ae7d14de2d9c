import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyConsistency, verifyInclusion } from '../../domain/log/proof-checks.ts';

/** transparency-dev/merkle's published proof vectors (see test/fixtures/transparency-dev-merkle/NOTICE.md). */
const root = join(import.meta.dirname, '../fixtures/transparency-dev-merkle');

function vectors(folder: string): Array<{ name: string; vector: Record<string, unknown> }> {
  const found: Array<{ name: string; vector: Record<string, unknown> }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) {
        found.push({ name: relative(root, path), vector: JSON.parse(readFileSync(path, 'utf8')) });
      }
    }
  };
  walk(join(root, folder));
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

const bytes = (base64: unknown) => new Uint8Array(Buffer.from(String(base64 ?? ''), 'base64'));
const proofOf = (proof: unknown) => ((proof as string[] | null) ?? []).map(bytes);

const inclusion = vectors('inclusion');
const consistency = vectors('consistency');

describe('the published transparency-dev vectors', () => {
  it('are all there, with wanted failures among them', () => {
    expect(inclusion.length).toBeGreaterThan(90);
    expect(consistency.length).toBeGreaterThan(90);
    expect(inclusion.filter(({ vector }) => vector.wantErr === true).length).toBeGreaterThan(50);
    expect(consistency.filter(({ vector }) => vector.wantErr === false).length).toBeGreaterThan(4);
  });

  it.each(inclusion)('inclusion $name', ({ vector }) => {
    const ok = verifyInclusion(
      bytes(vector.leafHash),
      Number(vector.leafIdx),
      Number(vector.treeSize),
      proofOf(vector.proof),
      bytes(vector.root),
    );
    expect(ok).toBe(vector.wantErr === false);
  });

  it.each(consistency)('consistency $name', ({ vector }) => {
    const ok = verifyConsistency(
      Number(vector.size1),
      Number(vector.size2),
      proofOf(vector.proof),
      bytes(vector.root1),
      bytes(vector.root2),
    );
    expect(ok).toBe(vector.wantErr === false);
  });
});
