import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LinkSecretSource, MIN_LINK_SECRET_LENGTH } from '../functions/notify/notify-config.ts';
import { LocalError } from './local-error.ts';

/** The link key file in a data directory is not one: say where, and how to start again. */
export class LinkSecretFileError extends LocalError {
  readonly code = 'notify_link_secret_file_invalid';
  constructor(file: string) {
    super(
      `${file} does not hold a link key of at least ${MIN_LINK_SECRET_LENGTH} characters: delete it to have a new one made (links in emails sent before then stop working), or set NOTIFY_LINK_SECRET.`,
    );
    this.name = 'LinkSecretFileError';
  }
}

/**
 * The key that signs the links in local emails: `NOTIFY_LINK_SECRET` when set; else one kept in the data
 * directory (`notify-link.secret`, readable by this user alone), made at the first start, so a confirm link in
 * an `.eml` still works after a restart; in memory, one for this run. It guards nothing a person with the data
 * directory could not do anyway (they hold the tables), which is why it may live beside them.
 */
export async function localLinkSecret(
  source: LinkSecretSource,
  dataDir: string | undefined,
): Promise<string> {
  if (source.kind === 'value') return source.secret;
  if (dataDir === undefined) return randomBytes(32).toString('base64url');
  const file = join(dataDir, 'notify-link.secret');
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept.length < MIN_LINK_SECRET_LENGTH) throw new LinkSecretFileError(file);
    return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const made = randomBytes(32).toString('base64url');
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(file, `${made}\n`, { mode: 0o600, flag: 'wx' });
  return made;
}
