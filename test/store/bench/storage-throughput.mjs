// Throughput of the embedded storage on the ingest path (not a test; run by hand):
//   node test/store/bench/storage-throughput.mjs
// Compiles src/store to node_modules/.cache, then measures with fixed iteration counts:
// SqliteStore.commit rows/s for batches of points (+ series, anomalies), and
// FileIngestLog.append records/s for each fsync mode. Prints the machine load.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const out = join(root, 'node_modules', '.cache', `vigil-store-bench-${process.pid}`);
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: join(root, 'tsconfig.build.json'),
    compilerOptions: { rootDir: join(root, 'src'), outDir: join(out, 'js'), sourceMap: false },
    include: [],
    files: [join(root, 'src', 'store', 'index.ts')],
  }),
);
execFileSync(process.execPath, [
  join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
  '-p',
  join(out, 'tsconfig.json'),
]);
const { SqliteStore, FileIngestLog } = await import(pathToFileURL(join(out, 'js', 'store', 'index.js')).href);
const data = mkdtempSync(join(tmpdir(), 'vigil-bench-'));

console.log(
  `node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

function batchOf(i, pointsPerBatch, seriesCount) {
  const points = [];
  for (let k = 0; k < pointsPerBatch; k++) {
    points.push({
      seriesId: `s${k % seriesCount}`,
      t: i * pointsPerBatch + k,
      value: k,
      expected: k,
      lower: k - 1,
      upper: k + 1,
      score: 0.1,
      anomalous: false,
    });
  }
  const series = [];
  for (let s = 0; s < Math.min(seriesCount, pointsPerBatch); s++) {
    series.push({
      id: `s${s}`,
      service: 'svc',
      endpoint: '/e',
      metric: `m${s}`,
      labels: { region: 'eu' },
      kind: 'application',
      firstSeen: 0,
      lastSeen: i,
      samples: i,
      warmup: 1,
      lastValue: 1,
    });
  }
  const anomalies = [0, 1].map((j) => ({
    id: `${i}-${j}`,
    seriesId: 's0',
    service: 'svc',
    endpoint: '/e',
    metric: 'm0',
    labels: {},
    t: i * pointsPerBatch + j,
    value: 9,
    expected: 1,
    lower: 0,
    upper: 2,
    score: 9,
    confidence: 0.9,
    type: 'spike',
    component: 'level',
    severity: 'high',
    outOfDeclaredRange: false,
    explanation: 'x',
    alertId: null,
  }));
  return { throughSeq: i, series, points, anomalies, alerts: [], alertEvents: [], deliveries: [], logs: [] };
}

// [points per commit, distinct series in the commit, commits]
const cases = [
  [1, 1, 5_000],
  [100, 100, 1_000],
  [1_000, 500, 200],
  [10_000, 500, 20],
  [1_000, 10, 200],
];
for (const [pointsPerBatch, seriesCount, iterations] of cases) {
  const dir = join(data, `sqlite-${pointsPerBatch}-${seriesCount}`);
  const store = SqliteStore.open(dir);
  const batches = Array.from({ length: iterations }, (_, i) => batchOf(i, pointsPerBatch, seriesCount));
  let rows = 0;
  for (const b of batches) rows += b.points.length + b.series.length + b.anomalies.length;
  const started = performance.now();
  for (const b of batches) store.commit(b);
  const ms = performance.now() - started;
  console.log(
    `SqliteStore.commit ${pointsPerBatch} points over ${seriesCount} series (+${Math.min(seriesCount, pointsPerBatch)} series rows, 2 anomalies)/commit: ${iterations} commits, ${rows} rows in ${ms.toFixed(0)} ms = ` +
      `${Math.round((rows / ms) * 1000)} rows/s, ${Math.round((iterations / ms) * 1000)} commits/s, ` +
      `${((ms / iterations) * 1000).toFixed(0)} µs/commit`,
  );
  const q = performance.now();
  let n = 0;
  for (let i = 0; i < 1000; i++) n += store.points(`s${i % seriesCount}`, { limit: 100 }).length;
  console.log(`  points(series, limit 100) x1000: ${(performance.now() - q).toFixed(0)} ms (${n} rows read)`);
  const h = store.health();
  console.log(`  health: ok=${h.ok} ${h.latencyMs.toFixed(2)} ms`);
  store.close();
}

for (const fsync of ['never', 'interval', 'always']) {
  const log = FileIngestLog.open(join(data, `wal-${fsync}`), { fsync });
  const iterations = fsync === 'always' ? 2_000 : 50_000;
  const body = {
    metrics: Array.from({ length: 10 }, (_, i) => ({ name: `m${i}`, value: i, labels: { a: 'b' } })),
  };
  const started = performance.now();
  for (let i = 0; i < iterations; i++) log.append('ingest', Date.now(), body);
  const ms = performance.now() - started;
  const bytes = log.sizeBytes();
  await log.flush();
  const readStarted = performance.now();
  let read = 0;
  for (const _ of log.readAfter(0)) read++;
  const readMs = performance.now() - readStarted;
  console.log(
    `FileIngestLog.append fsync=${fsync}: ${iterations} records (${(bytes / iterations).toFixed(0)} B each) in ` +
      `${ms.toFixed(0)} ms = ${Math.round((iterations / ms) * 1000)} records/s, ` +
      `${(((bytes / ms) * 1000) / 1048576).toFixed(1)} MiB/s; readAfter(0) ${read} records in ${readMs.toFixed(0)} ms`,
  );
  await log.close();
}

rmSync(data, { recursive: true, force: true });
rmSync(out, { recursive: true, force: true });
console.log(
  `load average after ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
