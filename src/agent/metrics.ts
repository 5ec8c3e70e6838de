/**
 * Names and units of the host metrics the agent sends. Each becomes a series
 * `service=<hostname>, endpoint="host", metric=<name>` on the server.
 */
export const HOST_METRICS = {
  cpu_usage_pct: 'percent of all CPU time, 0..100',
  cpu_iowait_pct: 'percent of all CPU time idle with I/O outstanding, 0..100',
  mem_used_pct: 'percent of MemTotal not available, 0..100',
  mem_available_bytes: 'bytes',
  load_1: 'run-queue load average over 1 min',
  load_5: 'run-queue load average over 5 min',
  load_15: 'run-queue load average over 15 min',
  net_rx_bytes_per_s: 'bytes/s received, summed over non-loopback interfaces',
  net_tx_bytes_per_s: 'bytes/s sent, summed over non-loopback interfaces',
  disk_read_bytes_per_s: 'bytes/s read from whole disks',
  disk_write_bytes_per_s: 'bytes/s written to whole disks',
  disk_read_iops: 'read operations completed per second on whole disks',
  disk_write_iops: 'write operations completed per second on whole disks',
} as const;

/** One of the metric names in {@link HOST_METRICS}. */
export type HostMetricName = keyof typeof HOST_METRICS;

/** One sample: metric name → value. A metric whose source could not be read is absent, never zero. */
export type HostMetrics = Partial<Record<HostMetricName, number>>;
