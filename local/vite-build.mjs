/**
 * `node local/vite-build.mjs OUT_DIR MODULES_FILE`, from the project root: builds the web application with
 * vite's own configuration (web/vite.config.ts) into OUT_DIR, and writes to MODULES_FILE, as a JSON array,
 * every module the bundle was made of. The runtime runs this in a child process (see web-build.ts) and keeps
 * that list in its stamp: the application imports files from beyond web/src (the roles, the domain's date
 * parser), and a change to any of them must make the build stale too.
 */
import { writeFile } from 'node:fs/promises';
import { build } from 'vite';

const [outDir, modulesFile] = process.argv.slice(2);
if (!outDir || !modulesFile) {
  console.error('usage: node local/vite-build.mjs OUT_DIR MODULES_FILE');
  process.exit(2);
}

const bundled = new Set();
/** @type {import('vite').Plugin} */
const recordModules = {
  name: 'ledger-record-modules',
  generateBundle(_options, bundle) {
    for (const output of Object.values(bundle)) {
      if (output.type === 'chunk') for (const id of output.moduleIds) bundled.add(id);
    }
  },
};

try {
  await build({
    configFile: 'web/vite.config.ts',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
    plugins: [recordModules],
  });
  await writeFile(modulesFile, JSON.stringify([...bundled]));
} catch (error) {
  // The same words as vite's own command line, which web-build.ts looks for.
  console.error('error during build:');
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
}
