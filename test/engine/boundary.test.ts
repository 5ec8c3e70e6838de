/** The engine boundary (STYLE.md §2): pure code, no imports from outside `src/engine/`, no clock, no randomness. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ENGINE = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/engine');

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s*['"]([^'"]+)['"]/g;

const CLOCK_OR_RANDOM = /Date\.now\(|Math\.random\(|new Date\(\s*\)|performance\.now\(/;

/** Source without block and line comments (a comment may say "never calls Math.random()"). */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

function specifiers(source: string): string[] {
  return [...source.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

describe('engine boundary', () => {
  const files = tsFiles(ENGINE);

  it('finds the engine sources', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('imports nothing outside src/engine, no node: module, no package', () => {
    const bad: string[] = [];
    for (const file of files) {
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const inside =
          spec.startsWith('.') && !relative(ENGINE, resolve(dirname(file), spec)).startsWith('..');
        if (!inside) bad.push(`${relative(ENGINE, file)} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('never reads the clock or unseeded randomness (comments aside)', () => {
    const bad = files.filter((file) => CLOCK_OR_RANDOM.test(stripComments(readFileSync(file, 'utf8'))));
    expect(bad.map((f) => relative(ENGINE, f))).toEqual([]);
  });

  it('the clock check sees code, not comments', () => {
    expect(CLOCK_OR_RANDOM.test(stripComments('// never Math.random()\n/* Date.now() */ const x = 1;'))).toBe(
      false,
    );
    expect(CLOCK_OR_RANDOM.test(stripComments('const t = Date.now(); // clock'))).toBe(true);
    expect(CLOCK_OR_RANDOM.test(stripComments('const d = new Date();'))).toBe(true);
  });

  it('the checker itself catches a forbidden import', () => {
    expect(specifiers("import { x } from 'node:fs';\nimport y from '../../store/a.js';")).toEqual([
      'node:fs',
      '../../store/a.js',
    ]);
  });

  it('has no circular imports', () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      const deps = specifiers(readFileSync(file, 'utf8'))
        .filter((s) => s.startsWith('.'))
        .map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
      graph.set(file, deps);
    }
    const state = new Map<string, number>();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 2) return;
      if (state.get(node) === 1) {
        cycles.push([...path, node].map((f) => relative(ENGINE, f)).join(' → '));
        return;
      }
      state.set(node, 1);
      for (const dep of graph.get(node) ?? []) visit(dep, [...path, node]);
      state.set(node, 2);
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
