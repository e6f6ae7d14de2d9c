import { isDeepStrictEqual } from 'node:util';
import { PROJECTION_REVISION } from '../../domain/projection-revision.ts';
import {
  CORPUS_FILE,
  generateCorpus,
  projectCorpus,
  readCorpus,
  readSnapshot,
  SNAPSHOT_FILE,
  writeJson,
} from './projection-snapshot.ts';

// Refreshes the snapshot of the fold over the fixed corpus, after a bump of PROJECTION_REVISION. It refuses to
// record a different fold under the revision the snapshot already has: that is the mistake the guard catches.
// `--new-corpus` generates the corpus again (for a new type of event), once the fold of the old one still agrees.

const previous = readSnapshot();
if (previous !== undefined) {
  if (previous.projectionRevision > PROJECTION_REVISION) {
    console.error(
      `The snapshot is of projection revision ${previous.projectionRevision}, later than ${PROJECTION_REVISION}: revisions only go up.`,
    );
    process.exit(1);
  }
  if (
    previous.projectionRevision === PROJECTION_REVISION &&
    !isDeepStrictEqual(projectCorpus(readCorpus()), previous.projections)
  ) {
    console.error(
      `The fold's output for the corpus changed, but PROJECTION_REVISION is still ${PROJECTION_REVISION}. ` +
        'Bump it in domain/projection-revision.ts, then run this again.',
    );
    process.exit(1);
  }
}
if (process.argv.includes('--new-corpus')) {
  writeJson(CORPUS_FILE, generateCorpus());
  console.log(`wrote ${CORPUS_FILE}`);
}
writeJson(SNAPSHOT_FILE, {
  projectionRevision: PROJECTION_REVISION,
  projections: projectCorpus(readCorpus()),
});
console.log(`wrote ${SNAPSHOT_FILE} (projection revision ${PROJECTION_REVISION})`);
