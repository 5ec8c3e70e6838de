/**
 * Alert-management commands that talk to a running Vigil over its HTTP API:
 * `vigil silences list|add|expire`, `vigil incidents list`, `vigil maintenance list`,
 * `vigil receivers list|test` and `vigil report alerts`. Each takes `--url` (env `VIGIL_URL`, default http://127.0.0.1:8080)
 * and `--api-key` (env `VIGIL_API_KEY`; scope read, or write to change silences).
 */
import { type Command, InvalidArgumentError } from 'commander';
import { formatMatcher, MatcherSyntaxError, parseMatcher } from '../alerting/routing/matchers.js';
import { silenceMatcherOp } from '../alerting/silences/silence.js';
import { CliError } from '../security/index.js';

/** An API answer as parsed JSON; the commands read documented fields and print them. */
// biome-ignore lint/suspicious/noExplicitAny: answers are printed, not computed on; the API tests pin their shapes
type Json = any;

interface ApiOptions {
  url: string;
  apiKey?: string;
  json?: boolean;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a duration such as `90s`, `30m`, `2h`, `1d`, `1w` or `1h30m` into ms.
 * @throws {InvalidArgumentError} on anything else
 */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhdw])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new InvalidArgumentError(`"${text}" is not a duration (e.g. 30m, 2h, 1d, 1h30m)`);
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * (UNITS[p[2] as string] as number), 0);
}

/** A silence matcher from Alertmanager syntax (`service="api"`, `severity=~"high|critical"`). */
function silenceMatcher(text: string, previous: unknown[] = []): unknown[] {
  try {
    const m = parseMatcher(text);
    return [
      ...previous,
      { name: m.name, value: m.value, isRegex: m.op.includes('~'), isEqual: !m.op.startsWith('!') },
    ];
  } catch (err) {
    if (err instanceof MatcherSyntaxError) throw new InvalidArgumentError(err.message);
    throw err;
  }
}

/** Calls the API; a non-2xx answer becomes a {@link CliError} with the server's message. */
async function call(opts: ApiOptions, method: string, path: string, body?: unknown): Promise<Json> {
  const base = opts.url.replace(/\/$/, '');
  const headers: Record<string, string> = {};
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new CliError(`cannot reach Vigil at ${base}: ${(err as Error).message}`);
  }
  const text = await res.text();
  let parsed: Json = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (a proxy's error page): the text is shown as it is
  }
  if (!res.ok) throw new CliError(`${method} ${path}: ${res.status} ${errorText(parsed) ?? text}`);
  return parsed;
}

/**
 * The message of an API error body (`{code, message, issues: [{path, message}]}`), with each
 * issue as `path: message`; null when the body is not one.
 */
function errorText(body: Json): string | null {
  if (typeof body?.message !== 'string') return null;
  const issues: Json[] = Array.isArray(body.issues) ? body.issues : [];
  const details = issues
    .filter((i) => typeof i?.message === 'string' && i.message !== body.message)
    .map((i) =>
      Array.isArray(i.path) && i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message,
    );
  return [body.message, ...details].join('; ');
}

/**
 * GETs a list (`{items}`) and prints it: as JSON with `--json`, else as a table of `header`
 * with one `row` per item.
 * @throws {CliError} when the API answers an error or cannot be reached
 */
async function printList(
  opts: ApiOptions,
  path: string,
  header: readonly string[],
  row: (item: Json) => string[],
): Promise<void> {
  const { items } = await call(opts, 'GET', path);
  if (opts.json) return out(JSON.stringify(items, null, 2));
  table(header, items.map(row));
}

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** Rows as aligned columns. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  out(line(header));
  for (const r of rows) out(line(r));
}

const iso = (t: number | null | undefined): string =>
  t ? new Date(t).toISOString().replace(/\.\d+Z$/, 'Z') : '-';
const pct = (x: number | null): string => (x === null ? '-' : `${(x * 100).toFixed(1)} %`);
const mins = (ms: number | null): string => (ms === null ? '-' : `${(ms / 60_000).toFixed(1)} min`);

function withApi(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'Vigil base URL (env VIGIL_URL)', process.env.VIGIL_URL ?? 'http://127.0.0.1:8080')
    .option(
      '--api-key <key>',
      'API key sent as Authorization: Bearer (env VIGIL_API_KEY)',
      process.env.VIGIL_API_KEY,
    )
    .option('--json', 'print the answer as JSON');
}

function matcherText(m: { name: string; value: string; isRegex: boolean; isEqual: boolean }): string {
  return formatMatcher({ name: m.name, op: silenceMatcherOp(m), value: m.value });
}

/** Adds the alert-management commands to `program`. */
export function registerAlertingCommands(program: Command): void {
  const silences = program
    .command('silences')
    .description('mute notifications for matching alerts (until an end time)');
  withApi(silences.command('list').description('silences: active, pending and recently expired')).action(
    async (opts: ApiOptions) => {
      await printList(
        opts,
        '/api/silences',
        ['ID', 'STATE', 'MATCHERS', 'ENDS', 'BY', 'COMMENT'],
        (s: Json) => [
          s.id,
          s.state,
          s.matchers.map(matcherText).join(','),
          iso(s.endsAt),
          s.createdBy,
          s.comment,
        ],
      );
    },
  );
  withApi(
    silences
      .command('add')
      .description('create a silence')
      .requiredOption(
        '-m, --matcher <matcher>',
        'Alertmanager matcher, repeatable: service="api", severity=~"high|critical"',
        silenceMatcher,
      )
      .option('--duration <d>', 'how long from now, e.g. 2h, 30m, 1d', parseDuration)
      .option('--until <time>', 'end time (RFC 3339)')
      .option('--comment <text>', 'why', '')
      .option(
        '--by <name>',
        'who (the API key or user name wins when authenticated)',
        process.env.USER ?? 'cli',
      ),
  ).action(
    async (
      opts: ApiOptions & {
        matcher: unknown[];
        duration?: number;
        until?: string;
        comment: string;
        by: string;
      },
    ) => {
      if ((opts.duration === undefined) === (opts.until === undefined)) {
        throw new CliError('give exactly one of --duration or --until: every silence ends');
      }
      const endsAt =
        opts.until !== undefined ? Date.parse(opts.until) : Date.now() + (opts.duration as number);
      if (!Number.isFinite(endsAt)) throw new CliError(`--until "${opts.until}" is not a time`);
      const { silence } = await call(opts, 'POST', '/api/silences', {
        matchers: opts.matcher,
        endsAt,
        createdBy: opts.by,
        comment: opts.comment,
      });
      if (opts.json) return out(JSON.stringify(silence, null, 2));
      out(`silence ${silence.id} ${silence.state} until ${iso(silence.endsAt)}`);
    },
  );
  withApi(silences.command('expire').description('end a silence now').argument('<id>', 'silence id')).action(
    async (id: string, opts: ApiOptions) => {
      const { silence } = await call(opts, 'DELETE', `/api/silences/${encodeURIComponent(id)}`);
      if (opts.json) return out(JSON.stringify(silence, null, 2));
      out(`silence ${silence.id} ${silence.state}`);
    },
  );

  const incidents = program.command('incidents').description('alerts grouped by service and call chain');
  withApi(
    incidents
      .command('list')
      .description('incidents, newest first')
      .option('--status <status>', 'open or resolved'),
  ).action(async (opts: ApiOptions & { status?: string }) => {
    const q = opts.status ? `?status=${encodeURIComponent(opts.status)}` : '';
    await printList(
      opts,
      `/api/incidents${q}`,
      ['ID', 'STATUS', 'SEVERITY', 'STARTED', 'BLAST RADIUS', 'TITLE'],
      (i: Json) => [
        i.id,
        i.status,
        i.severity,
        iso(i.startedAt),
        i.blastRadius.summary.replace(/ since .*/, ''),
        i.title,
      ],
    );
  });

  const maintenance = program
    .command('maintenance')
    .description('recurring windows: alerts muted, series not learned');
  withApi(maintenance.command('list').description('maintenance windows and their next occurrence')).action(
    async (opts: ApiOptions) => {
      await printList(
        opts,
        '/api/maintenance',
        ['NAME', 'SOURCE', 'ACTIVE', 'SCHEDULE', 'TIME ZONE', 'NEXT/CURRENT', 'MATCHERS'],
        (w: Json) => [
          w.name,
          w.source,
          w.active ? 'yes' : 'no',
          w.cron
            ? `cron "${w.cron}" for ${mins(w.durationMs)}`
            : w.weekly.map((r: Json) => `${r.days.join(',')} ${r.start}-${r.end}`).join('; '),
          w.timeZone,
          `${iso(w.occurrence.start)} → ${iso(w.occurrence.end)}`,
          w.matchers.join(',') || '(all)',
        ],
      );
    },
  );

  const receivers = program.command('receivers').description('where notifications go');
  withApi(receivers.command('list').description('configured receivers and their latest delivery')).action(
    async (opts: ApiOptions) => {
      await printList(
        opts,
        '/api/receivers',
        ['NAME', 'TYPE', 'MIN SEVERITY', 'DESTINATION', 'LAST DELIVERY'],
        (r: Json) => [
          r.name,
          r.type,
          r.minSeverity,
          r.url,
          r.lastDelivery ? `${r.lastDelivery.status} ${iso(r.lastDelivery.createdAt)}` : '-',
        ],
      );
    },
  );
  withApi(
    receivers
      .command('test')
      .description('send one test notification now (no retry); exits 1 when the receiver fails')
      .argument('<name>', 'receiver name'),
  ).action(async (name: string, opts: ApiOptions) => {
    const r = await call(opts, 'POST', `/api/receivers/${encodeURIComponent(name)}/test`, {});
    if (opts.json) out(JSON.stringify(r, null, 2));
    else out(r.status === 'ok' ? `${name}: ok (${r.durationMs} ms)` : `${name}: failed: ${r.error}`);
    if (r.status !== 'ok') process.exitCode = 1;
  });

  const report = program.command('report').description('reports');
  withApi(
    report
      .command('alerts')
      .description(
        'alert quality: notifications, flap rate, quick auto-resolves, time to acknowledge, noisiest series',
      )
      .option('--since <d>', 'period ending now, e.g. 24h, 7d', parseDuration, 7 * 86_400_000),
  ).action(async (opts: ApiOptions & { since: number }) => {
    const to = Date.now();
    const r = await call(opts, 'GET', `/api/reports/alert-quality?from=${to - opts.since}&to=${to}`);
    if (opts.json) return out(JSON.stringify(r, null, 2));
    const row = (name: string, f: Json) => [
      name,
      String(f.alerts),
      String(f.notificationsSent),
      String(f.notificationsFailed),
      pct(f.flapRate),
      pct(f.quickAutoResolveShare),
      mins(f.timeToAckMedianMs),
      String(f.falsePositives),
    ];
    const header = [
      '',
      'ALERTS',
      'SENT',
      'FAILED',
      'FLAP RATE',
      'AUTO-RESOLVED <5 MIN',
      'MEDIAN TTA',
      'NOT AN ANOMALY',
    ];
    out(`Alert quality ${iso(r.from)} → ${iso(r.to)} (flap window ${mins(r.flapWindowMs)})`);
    out();
    table(header, [row('total', r.total), ...r.receivers.map((x: Json) => row(`receiver ${x.receiver}`, x))]);
    out();
    out('Noisiest series');
    table(
      [
        'SERIES',
        'ALERTS',
        'SENT',
        'FAILED',
        'FLAP RATE',
        'AUTO-RESOLVED <5 MIN',
        'MEDIAN TTA',
        'NOT AN ANOMALY',
      ],
      r.noisiestSeries.map((s: Json) => row(`${s.service} ${s.endpoint} ${s.metric}`, s)),
    );
  });
}
