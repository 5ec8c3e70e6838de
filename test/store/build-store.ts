/**
 * Compiles `src/store` (and what it imports) to plain JavaScript for child-process tests, into
 * `node_modules/.cache/vigil-store-test-<pid>/` so that `better-sqlite3` resolves from there and
 * `dist/` (owned by the build) is left alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

/** @returns the compiled `store/index.js` path and a function removing the build. */
export function buildStore(): { readonly entry: string; remove(): void } {
  const out = join(root, 'node_modules', '.cache', `vigil-store-test-${process.pid}`);
  mkdirSync(out, { recursive: true });
  const config = {
    extends: join(root, 'tsconfig.build.json'),
    compilerOptions: {
      rootDir: join(root, 'src'),
      outDir: join(out, 'js'),
      sourceMap: false,
      noEmitOnError: true,
    },
    include: [],
    files: [join(root, 'src', 'store', 'index.ts')],
  };
  writeFileSync(join(out, 'tsconfig.json'), JSON.stringify(config));
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(out, 'tsconfig.json')],
    {
      stdio: 'pipe',
    },
  );
  return {
    entry: join(out, 'js', 'store', 'index.js'),
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}
