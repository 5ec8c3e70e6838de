/**
 * `node dist/bench/profile-top.js <file.cpuprofile> [N]`: the top N functions of a V8 CPU
 * profile (as written by `node --cpu-prof`, e.g. `npm run bench -- --cpu-prof`) by self time
 * and by inclusive time, in % of the profile's duration.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self and inclusive time (µs) per function (`name file:line`), and the total (µs). */
export function profileTimes(profile: CpuProfile): {
  self: Map<string, number>;
  inclusive: Map<string, number>;
  totalUs: number;
} {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const perNode = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const d = profile.timeDeltas[i] ?? 0;
    perNode.set(id, (perNode.get(id) ?? 0) + d);
    totalUs += d;
  });
  const key = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of perNode) {
    const node = byId.get(id);
    if (!node) continue;
    const k = key(node);
    self.set(k, (self.get(k) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n) break;
      const kk = key(n);
      if (seen.has(kk)) continue; // recursion: count a function once per sample
      seen.add(kk);
      inclusive.set(kk, (inclusive.get(kk) ?? 0) + us);
    }
  }
  return { self, inclusive, totalUs };
}

function top(m: Map<string, number>, total: number, n: number): string[] {
  return [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`);
}

const [file, count] = process.argv.slice(2);
if (file) {
  const n = Number(count ?? 30);
  const { self, inclusive, totalUs } = profileTimes(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile);
  process.stdout.write(
    [
      `self time (profile ${(totalUs / 1e6).toFixed(2)} s)`,
      ...top(self, totalUs, n),
      '',
      'inclusive time',
      ...top(inclusive, totalUs, n),
      '',
    ].join('\n'),
  );
}
