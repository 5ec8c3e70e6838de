/**
 * Request shapes accepted by the ingest routes, as the project's users already send them.
 * Validation is by Zod; `normalize.ts` turns a valid request into {@link IngestItem}s.
 */
import { z } from 'zod';

/** True when `s` holds a C0 control character or DEL. */
export function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Text a series name may hold: no control characters (NUL separates key parts in the series id). */
const name = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !hasControlCharacter(s), { message: 'must not contain control characters' });

export const serviceName = name(200);
export const endpointName = z
  .string()
  .max(500)
  .refine((s) => !hasControlCharacter(s), { message: 'must not contain control characters' });
export const metricName = z
  .string()
  .min(1)
  .max(200)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_.:-]*$/,
    'must start with a letter or _ and hold only letters, digits, _ . : -',
  );

/** A finite number (JSON has no NaN/Infinity, but a number too large for a double parses as Infinity). */
export const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });

export const labelsSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'label names are [A-Za-z_][A-Za-z0-9_]*'),
    name(200),
  )
  .refine((l) => Object.keys(l).length <= 20, { message: 'at most 20 labels' });

export const timestampSchema = z
  .union([z.string().max(64), z.number()])
  .optional()
  .nullable();

/** Free-form context kept with the request; never turned into series. */
const metadataSchema = z.record(z.string(), z.unknown());

const statusCode = z.number().int().min(100).max(599);

/** `POST /api/metrics`, nested form. */
export const applicationNestedSchema = z
  .object({
    service: serviceName,
    endpoint: endpointName.default(''),
    metrics: z
      .record(metricName, finite)
      .refine((m) => Object.keys(m).length > 0, { message: 'must hold at least one metric' })
      .refine((m) => Object.keys(m).length <= 100, { message: 'at most 100 metrics per request' }),
    timestamp: timestampSchema,
    labels: labelsSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .strict();

/** Keys of the flat form that are not metrics. */
export const FLAT_RESERVED = new Set(['service', 'endpoint', 'timestamp', 'labels', 'metadata', 'type']);

/** `POST /api/metrics`, flat form: every key other than the reserved ones must be a numeric metric. */
export const applicationFlatSchema = z
  .object({
    service: serviceName,
    endpoint: endpointName.default(''),
    timestamp: timestampSchema,
    labels: labelsSchema.optional(),
    metadata: metadataSchema.optional(),
  })
  .catchall(finite);

/** `POST /api/business-metrics`. */
export const businessSchema = z
  .object({
    metric_name: metricName.optional(),
    metric_type: metricName.optional(),
    value: finite,
    expected_range: z
      .tuple([finite, finite])
      .refine(([lo, hi]) => lo <= hi, { message: 'expected_range must be [low, high] with low <= high' })
      .optional()
      .nullable(),
    timestamp: timestampSchema,
    labels: labelsSchema.optional(),
    metadata: metadataSchema.optional(),
    service: serviceName.optional(),
  })
  .strict()
  .refine((b) => b.metric_name !== undefined || b.metric_type !== undefined, {
    message: 'metric_name (or metric_type) is required',
    path: ['metric_name'],
  });

/** `POST /api/logs`. */
export const logSchema = z
  .object({
    log_level: z.string().min(1).max(20).optional(),
    level: z.string().min(1).max(20).optional(),
    message: z.string().max(10_000),
    service: serviceName,
    context: metadataSchema.optional().nullable(),
    metadata: metadataSchema.optional().nullable(),
    trace_id: z.string().max(200).optional().nullable(),
    timestamp: timestampSchema,
  })
  .strict()
  .refine((l) => l.log_level !== undefined || l.level !== undefined, {
    message: 'log_level (or level) is required',
    path: ['log_level'],
  })
  .refine((l) => /^[A-Za-z]+$/.test(l.log_level ?? l.level ?? ''), {
    message: 'log level must be a word such as ERROR, WARN, INFO',
    path: ['log_level'],
  });

/** Host metrics sent by `vigil agent`. */
export const hostSchema = z
  .object({
    host: serviceName,
    metrics: z.record(metricName, finite).refine((m) => Object.keys(m).length <= 200, {
      message: 'at most 200 metrics per sample',
    }),
    timestamp: timestampSchema,
  })
  .strict();

export type ApplicationNested = z.infer<typeof applicationNestedSchema>;
export type ApplicationFlat = z.infer<typeof applicationFlatSchema>;
export type BusinessRequest = z.infer<typeof businessSchema>;
export type LogRequest = z.infer<typeof logSchema>;
export type HostRequest = z.infer<typeof hostSchema>;

export { statusCode as statusCodeSchema };
