/** The logging surface the agent and replay tool need; pino and `console` both fit. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that writes one line per message to stderr, prefixed with an ISO time and the level. */
export function stderrLogger(prefix = 'vigil-agent'): Logger {
  const line = (level: string, message: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${level} ${prefix}: ${message}\n`);
  };
  return {
    info: (m) => line('INFO', m),
    warn: (m) => line('WARN', m),
    error: (m) => line('ERROR', m),
  };
}
