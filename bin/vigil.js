#!/usr/bin/env node
// Entry point of the `vigil` command; the TypeScript sources are compiled to dist/ by `npm run build`
// (run automatically by `npm ci`/`npm install` through the `prepare` script).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('vigil: dist/ is missing; run `npm run build` first\n');
  process.exit(1);
}
const { main } = await import(entry);
await main(process.argv);
