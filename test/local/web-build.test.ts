import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureWebBuild, WebBuildError } from '../../local/web-build.ts';
import { readBuildStamp, readWebSources, sourceHash } from '../../local/web-sources.ts';

/**
 * Real `vite build` runs over a small application of a few lines in a temporary folder: the same command the
 * runtime runs, without paying for the real application.
 */

const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function smallApp(main = 'document.body.append("ready");'): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ledger-web-build-'));
  roots.push(root);
  await mkdir(join(root, 'web', 'src'), { recursive: true });
  // No imports: the folder has no node_modules of its own.
  await writeFile(
    join(root, 'web', 'vite.config.ts'),
    "export default { root: import.meta.dirname, base: '/app/', build: { outDir: 'dist' } };\n",
  );
  await writeFile(
    join(root, 'web', 'index.html'),
    '<!doctype html><html><body><script type="module" src="./src/main.ts"></script></body></html>\n',
  );
  await writeFile(join(root, 'web', 'src', 'main.ts'), main);
  await writeFile(join(root, 'package-lock.json'), '{}\n');
  return root;
}

const lines = () => {
  const said: string[] = [];
  return { said, say: (line: string) => said.push(line) };
};

describe('building the web application on start', () => {
  it('builds a missing build, stamps it, and does not build again until a source changes', async () => {
    const root = await smallApp();
    const first = lines();
    expect(await ensureWebBuild({ root, say: first.say })).toEqual({ built: true });
    expect(first.said[0]).toBe('Building the web application…');
    expect(first.said[1]).toMatch(/^Built the web application in \d+\.\d s\.$/);
    const dist = join(root, 'web', 'dist');
    expect(await readFile(join(dist, 'index.html'), 'utf8')).toMatch(/src="\/app\/assets\/[^"]+\.js"/);
    expect(await readBuildStamp(dist)).toEqual({ hash: sourceHash(await readWebSources(root)), imports: [] });

    const again = lines();
    expect(await ensureWebBuild({ root, say: again.say })).toEqual({ built: false });
    expect(again.said).toEqual([]);

    await writeFile(join(root, 'web', 'src', 'main.ts'), 'document.body.append("changed");');
    expect(await ensureWebBuild({ root, say: () => {} })).toEqual({ built: true });
    const assets = await readdir(join(dist, 'assets'));
    const script = await readFile(join(dist, 'assets', assets.find((name) => name.endsWith('.js'))!), 'utf8');
    expect(script).toContain('changed');
    // The lock file stands for the dependencies: a new one is a new build too.
    await writeFile(join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
    expect(await ensureWebBuild({ root, say: () => {} })).toEqual({ built: true });
  });

  it('counts the project files the application imports from beyond web/, so that their change builds again', async () => {
    const root = await smallApp(
      'import { roles } from "../../outside/roles.ts";\ndocument.body.append(roles.join());',
    );
    await mkdir(join(root, 'outside'));
    await writeFile(join(root, 'outside', 'roles.ts'), 'export const roles = ["viewer"];\n');
    await writeFile(join(root, 'outside', 'unused.ts'), 'export const nobody = 1;\n');
    expect(await ensureWebBuild({ root, say: () => {} })).toEqual({ built: true });
    expect((await readBuildStamp(join(root, 'web', 'dist')))?.imports).toEqual(['outside/roles.ts']);
    // A file the application does not import is no source of it.
    await writeFile(join(root, 'outside', 'unused.ts'), 'export const nobody = 2;\n');
    expect(await ensureWebBuild({ root, say: () => {} })).toEqual({ built: false });

    await writeFile(join(root, 'outside', 'roles.ts'), 'export const roles = ["viewer", "auditor"];\n');
    expect(await ensureWebBuild({ root, say: () => {} })).toEqual({ built: true });
    const dist = join(root, 'web', 'dist');
    const assets = await readdir(join(dist, 'assets'));
    expect(
      await readFile(join(dist, 'assets', assets.find((name) => name.endsWith('.js'))!), 'utf8'),
    ).toContain('auditor');
    expect(await ensureWebBuild({ root, say: () => {} })).toEqual({ built: false });
  });

  it('leaves one whole build when two runtimes build at the same moment, and nothing of the attempts', async () => {
    const root = await smallApp();
    const results = await Promise.all([
      ensureWebBuild({ root, say: () => {} }),
      ensureWebBuild({ root, say: () => {} }),
    ]);
    expect(results).toEqual([{ built: true }, { built: true }]);
    const dist = join(root, 'web', 'dist');
    expect((await readdir(dist)).sort()).toEqual(['.build-stamp.json', 'assets', 'index.html']);
    expect(await readdir(join(root, 'web'))).not.toContainEqual(expect.stringMatching(/^\.dist-/));
    expect(await ensureWebBuild({ root, say: () => {} })).toEqual({ built: false });
  });

  it('clears what a build stopped half-way left behind, and nothing of a build still running', async () => {
    const root = await smallApp();
    const web = join(root, 'web');
    // Pids far above any pid_max: no such process runs.
    const abandoned = ['.dist-build-2147483646-0badc0de', '.dist-old-2147483646-0badc0de'];
    for (const name of abandoned) await mkdir(join(web, name, 'assets'), { recursive: true });
    await writeFile(join(web, '.dist-build-2147483646-0badc0de.modules.json'), '[]');
    const running = `.dist-build-${process.pid}-0badc0de`;
    await mkdir(join(web, running));
    expect(await ensureWebBuild({ root, say: () => {} })).toEqual({ built: true });
    expect((await readdir(web)).filter((name) => name.startsWith('.dist-'))).toEqual([running]);
  });

  it('fails with the command that shows why, keeps the previous build, and builds once it is fixed', async () => {
    const root = await smallApp();
    await ensureWebBuild({ root, say: () => {} });
    const before = await readFile(join(root, 'web', 'dist', 'index.html'), 'utf8');
    await writeFile(join(root, 'web', 'src', 'main.ts'), 'document.body.append(;');
    const failure = await ensureWebBuild({ root, say: () => {} }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WebBuildError);
    expect((failure as WebBuildError).code).toBe('web_build_failed');
    expect((failure as Error).message).toContain('npx vite build --config web/vite.config.ts');
    expect((failure as Error).message).toContain('LEDGER_WEB=off');
    // The error itself, where it is: enough to fix a typo without running anything else.
    expect((failure as Error).message).toContain('web/src/main.ts:1:');
    expect(await readFile(join(root, 'web', 'dist', 'index.html'), 'utf8')).toBe(before);
    expect(await readdir(join(root, 'web'))).not.toContainEqual(expect.stringMatching(/^\.dist-/));

    await writeFile(join(root, 'web', 'src', 'main.ts'), 'document.body.append("fixed");');
    expect(await ensureWebBuild({ root, say: () => {} })).toEqual({ built: true });
  });
});
