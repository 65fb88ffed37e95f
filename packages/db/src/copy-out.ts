import { Readable } from "node:stream";
import type { Sql } from "postgres";
import type { Database } from "./client";

/** A query as drizzle's `.toSQL()` renders it: text with `$n` placeholders and their values. */
export interface CompiledQuery {
  sql: string;
  params: unknown[];
}

/**
 * A value as a PostgreSQL literal, the way libpq's PQescapeLiteral writes it: single quotes
 * doubled, and the E'' form with doubled backslashes when there are any, so the result is the
 * same whatever `standard_conforming_strings` says. Literals stay untyped, as a bound
 * parameter would be, so the query means the same thing either way.
 */
export function quoteLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`Cannot inline the number ${value}`);
    // Parenthesised: `x -(-1)` must never become the comment `x --1`.
    return `(${value})`;
  }
  if (typeof value === "bigint") return `(${value})`;
  if (value instanceof Date) return quoteLiteral(value.toISOString());
  if (typeof value === "string") {
    if (value.includes("\0")) throw new TypeError("PostgreSQL text cannot contain NUL");
    const quoted = value.replaceAll("'", "''");
    return value.includes("\\") ? ` E'${quoted.replaceAll("\\", "\\\\")}'` : `'${quoted}'`;
  }
  throw new TypeError(`Cannot inline a parameter of type ${typeof value}`);
}

/**
 * Replaces each `$n` placeholder with its value as a literal, skipping quoted literals and
 * identifiers. COPY cannot take bound parameters, so this is how a query built with drizzle
 * (values always as parameters, never spliced into the text) becomes a COPY source.
 */
export function inlineParams(query: CompiledQuery): string {
  const { sql: text, params } = query;
  let out = "";
  const used = new Set<number>();
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      // '' (or "") inside is an escaped quote: scanning to the next quote and going on handles it.
      const end = text.indexOf(ch, i + 1);
      if (end < 0) throw new Error("Unterminated quote in query text");
      out += text.slice(i, end + 1);
      i = end + 1;
    } else if (ch === "$" && /\d/.test(text[i + 1] ?? "")) {
      const digits = /^\d+/.exec(text.slice(i + 1))![0];
      const n = Number(digits);
      if (n < 1 || n > params.length) throw new Error(`No value for placeholder $${n}`);
      used.add(n);
      out += quoteLiteral(params[n - 1]);
      i += 1 + digits.length;
    } else if (
      ch === "$" ||
      (ch === "-" && text[i + 1] === "-") ||
      (ch === "/" && text[i + 1] === "*")
    ) {
      // Dollar quoting and comments never come out of drizzle; refuse rather than guess.
      throw new Error("Unexpected dollar quote or comment in query text");
    } else {
      out += ch;
      i++;
    }
  }
  if (used.size !== params.length) throw new Error("A parameter was never used in the query");
  return out;
}

/**
 * Streams `COPY (query) TO STDOUT` straight from PostgreSQL: PostgreSQL formats and quotes,
 * Node only passes bytes along. Back-pressure reaches the server (the socket pauses while the
 * reader is behind), so memory stays bounded whatever the size of the result.
 *
 * The copy runs in a read-only transaction on a reserved connection, with `settings` applied
 * to that transaction only (e.g. `{ DateStyle: "ISO, YMD" }`); the transaction ends and the
 * connection goes back to the pool when the copy ends, fails or is cancelled. Cancelling the
 * stream cancels the query in PostgreSQL. `options` is COPY's option list, e.g. `format csv`.
 */
export async function copyOut(
  db: Database,
  query: CompiledQuery,
  opts: { options: string; settings?: Record<string, string> },
): Promise<ReadableStream<Uint8Array>> {
  const text = `copy (${inlineParams(query)}) to stdout with (${opts.options})`;
  const client = (db as Database & { $client: Sql }).$client;
  const conn = await client.reserve();
  const release = async () => {
    try {
      await conn.unsafe("rollback");
    } catch {
      // The connection is gone; the pool replaces it.
    } finally {
      conn.release();
    }
  };

  let finished = false; // PostgreSQL sent the last row
  let failure: unknown = null;
  let cancelled = false;
  // Listen from the moment postgres.js creates the stream: an error (or the whole short result)
  // can arrive in the same socket read, and Node emits 'error' on the next tick, before an
  // awaiting caller would resume; with nobody listening it would crash the process.
  const watch = (stream: Readable) => {
    stream.once("end", () => {
      finished = true;
    });
    stream.on("error", (e) => {
      failure = e;
    });
    // 'close' comes after 'end' or an error: the copy is over.
    stream.once("close", () => void release());
  };

  let pending: ReturnType<typeof conn.unsafe>;
  let source: Readable;
  try {
    await conn.unsafe("begin read only");
    for (const [name, value] of Object.entries(opts.settings ?? {})) {
      await conn`select set_config(${name}, ${value}, true)`;
    }
    pending = conn.unsafe(text);
    // postgres.js resolves the query with the stream on CopyOutResponse (and with the result
    // later); `resolve` is its own property, so wrap it to see the stream synchronously.
    const hooked = pending as unknown as { resolve: (value: unknown) => void };
    const resolve = hooked.resolve;
    hooked.resolve = (value) => {
      if (value instanceof Readable) watch(value);
      resolve(value);
    };
    source = (await pending.readable()) as unknown as Readable;
  } catch (error) {
    await release();
    throw error;
  }

  const settled = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        source.off("readable", done);
        source.off("end", done);
        source.off("error", done);
        resolve();
      };
      source.once("readable", done);
      source.once("end", done);
      source.once("error", done);
    });

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          if (cancelled) return;
          if (failure) throw failure;
          // read() hands over everything buffered at once: one chunk per socket read, not per row.
          const chunk = source.read() as Buffer | null;
          if (chunk !== null) {
            controller.enqueue(chunk);
            return;
          }
          if (finished || source.readableEnded) {
            controller.close();
            return;
          }
          await settled();
        }
      },
      cancel() {
        cancelled = true;
        if (finished || source.destroyed) return;
        // PostgreSQL only acts on a cancel once it is not blocked writing to us, so keep
        // reading (and dropping) until its "canceled" error ends the stream, which ends the
        // transaction and frees the connection.
        const drain = () => {
          while (source.read() !== null);
        };
        source.on("readable", drain);
        drain();
        pending.cancel();
      },
    },
    { highWaterMark: 0 },
  );
}
