/**
 * The one error the /proc parsers throw: the text does not have the layout the kernel documents
 * (`Documentation/filesystems/proc.rst`, `Documentation/admin-guide/iostats.rst`).
 */
export class ProcParseError extends Error {
  /** Which file the text was meant to be, e.g. `/proc/stat`. */
  readonly file: string;

  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ProcParseError';
    this.file = file;
  }
}

/**
 * Parses one whitespace-separated field as a non-negative integer counter or gauge.
 * @throws {ProcParseError} when the field is missing or not a finite number.
 */
export function field(file: string, fields: readonly string[], index: number, what: string): number {
  const raw = fields[index];
  const n = raw === undefined ? Number.NaN : Number(raw);
  if (!Number.isFinite(n))
    throw new ProcParseError(file, `${what}: expected a number, got ${JSON.stringify(raw)}`);
  return n;
}
