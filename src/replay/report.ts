/** What a replay sent and what the server concluded, per file. */

/** An anomaly the server reported on a replayed series (a subset of the API's `Anomaly`). */
export interface ReplayAnomaly {
  /** Event time, Unix ms. */
  readonly t: number;
  readonly value: number;
  /** Score in [0, 1]. */
  readonly score: number;
  readonly type: string;
  readonly severity: string;
}

/** An alert the server opened on a replayed series (a subset of the API's `Alert`). */
export interface ReplayAlert {
  readonly id: string;
  /** Event time of the first anomaly, Unix ms. */
  readonly startsAt: number;
  /** Event time of the latest anomaly, Unix ms. */
  readonly lastAnomalyAt: number;
  readonly resolvedAt: number | null;
  readonly status: string;
  readonly severity: string;
  readonly anomalyCount: number;
  readonly maxScore: number;
  readonly type: string;
}

/** One replayed file. */
export interface ReplayFileReport {
  /** The path as given. */
  readonly file: string;
  /** Endpoint of its series: the file's base name without `.csv`. */
  readonly endpoint: string;
  /** Rows sent. */
  readonly points: number;
  /** Requests that carried them. */
  readonly requests: number;
  /** Items the server answered as rejected (202 with `rejected > 0`). */
  readonly rejected: number;
  /** Event time of the first and last row, Unix ms (null for an empty file). */
  readonly firstT: number | null;
  readonly lastT: number | null;
  /** Id of the series on the server, when it was found. */
  readonly seriesId: string | null;
  /** Anomalies on this file's series, oldest first. */
  readonly anomalies: ReplayAnomaly[];
  /** Alerts on this file's series, oldest first. */
  readonly alerts: ReplayAlert[];
}

/** The outcome of {@link runReplay}. */
export interface ReplayReport {
  readonly url: string;
  readonly service: string;
  /** `max` or the speed factor. */
  readonly mode: 'max' | number;
  readonly files: ReplayFileReport[];
  readonly points: number;
  readonly requests: number;
  readonly rejected: number;
  /** Wall time spent sending, ms. */
  readonly sendMs: number;
  /** points / (sendMs / 1000). */
  readonly pointsPerSec: number;
  /** Whether the server showed every file's last point before results were read (see `settleTimeoutMs`). */
  readonly settled: boolean;
}
