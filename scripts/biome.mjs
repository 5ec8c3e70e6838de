#!/usr/bin/env node
// Runs Biome's native binary. The project depends on the platform package directly (as an optional
// dependency) because the registry this project installs from carries only the linux-x64 build, and
// a lock file naming every platform package of `@biomejs/biome` cannot be installed with `npm ci` there.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
let binary;
try {
  binary = join(dirname(require.resolve(`@biomejs/cli-${process.platform}-${process.arch}/package.json`)), 'biome');
} catch {
  binary = null;
}
if (!binary || !existsSync(binary)) {
  process.stderr.write(`biome: no Biome binary for ${process.platform}-${process.arch}; install @biomejs/cli-${process.platform}-${process.arch}\n`);
  process.exit(1);
}
const r = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });
process.exit(r.status ?? 1);
