/**
 * Structured logs: one JSON object per line on stdout, so a log shipper can index them without
 * parsing prose. Every line has `time`, `level` and `msg`; a child logger adds its fields (the
 * app, a request id) to every line it writes. Errors are written with their stack, which is why
 * logs stay on the server: clients only ever see a request id to quote.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines all carry `fields` too (e.g. `{ requestId }`). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Fields on every line. */
  base?: LogFields;
  /** Where lines go; stdout unless a test collects them. */
  write?: (line: string) => void;
}

/** An error as plain JSON: type, message, code, stack and cause, never the object itself. */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const withCode = error as Error & { code?: unknown };
  return {
    type: error.name,
    message: error.message,
    ...(withCode.code !== undefined ? { code: withCode.code } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
    ...(error.cause !== undefined && depth < 3
      ? { cause: serializeError(error.cause, depth + 1) }
      : {}),
  };
}

function toJson(record: LogFields): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(record, (_key, value: unknown) => {
    if (value instanceof Error) return serializeError(value);
    if (typeof value === "bigint") return value.toString();
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) return "[Circular]";
      seen.add(value);
    }
    return value;
  });
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const min = RANK[opts.level ?? "info"];
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const base = opts.base ?? {};
  const at =
    (level: LogLevel) =>
    (msg: string, fields: LogFields = {}): void => {
      if (RANK[level] < min) return;
      try {
        write(toJson({ time: new Date().toISOString(), level, ...base, ...fields, msg }));
      } catch {
        // A log line must never take a request down.
      }
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (fields) => createLogger({ ...opts, base: { ...base, ...fields } }),
  };
}

/** Writes nothing (tests that do not care). */
export const silentLogger: Logger = createLogger({ write: () => {} });

/** Lines collected in memory, parsed back (tests that read what was logged). */
export function memoryLogger(level: LogLevel = "debug") {
  const lines: (LogFields & { level: LogLevel; msg: string })[] = [];
  const logger = createLogger({ level, write: (line) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}
