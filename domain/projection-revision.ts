/**
 * The revision of the projection code (the fold and the view's shape). Bump it whenever a change to
 * `evolve-case.ts`, `fold-case.ts` or `case-view.ts` changes what a view holds for the same events: a view
 * written by a newer revision wins over one of the same version from an older revision, so a rebuild can run
 * beside the live projector and replace every view without a lock. A test folds a fixed corpus of
 * recorded streams and fails when what the fold makes of it changes while this number stays.
 */
export const PROJECTION_REVISION = 5;

/**
 * The first revision whose every view write moves the counts kept by day. Once every view is of it (the rebuild
 * mark says so), summaries are read from the counts; before, they fold the stored timelines as they always did.
 */
export const COUNTS_KEPT_FROM_REVISION = 4;

// Revision 2 stores each case's timeline beside its view, for summaries as of any moment.
// Revision 3 keys each view in the alert indexes (the same fold, new index keys), so rebuilding puts them on old views.
// Revision 4 writes each view with the changes of the counts kept by day (the same fold, and `counted` set).
// Revision 5 adds `lastHearingAt` and `lastHearingAttended`, lets `HearingHeld` move `nextHearingAt` past it, and keys views in `byHearingDue`.
