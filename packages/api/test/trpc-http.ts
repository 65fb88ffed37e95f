import type { AppName } from "@xplorium/api";
import type { Env } from "@xplorium/config";

/** What a tRPC call over real HTTP answered: the response, its text and its JSON (or null). */
export interface TrpcHttpAnswer {
  res: Response;
  status: number;
  text: string;
  /** The parsed body; null when it is not JSON (the edge answers some refusals in plain text). */
  json: unknown;
}

/**
 * One tRPC call as the client sends it, at `${base}/api/trpc/${path}`: a GET carries the input
 * in the query (none when it is undefined), a POST as the JSON body `{ json: input }` exactly
 * as given (a caller that wants `null` for "no input" says so). `headers` go as they are, plus
 * the JSON content type of a POST.
 */
export async function trpcHttp(
  base: string,
  path: string,
  opts: { method?: "GET" | "POST"; input?: unknown; headers?: Record<string, string> } = {},
): Promise<TrpcHttpAnswer> {
  const method = opts.method ?? "POST";
  const headers: Record<string, string> = { ...opts.headers };
  let url = `${base}/api/trpc/${path}`;
  let body: string | undefined;
  if (method === "GET") {
    if (opts.input !== undefined) {
      url += `?input=${encodeURIComponent(JSON.stringify({ json: opts.input }))}`;
    }
  } else {
    headers["content-type"] = "application/json";
    body = JSON.stringify({ json: opts.input });
  }
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: the caller reads `text`.
  }
  return { res, status: res.status, text, json };
}

/** The `data` of a successful call's JSON (the transformer's `json` envelope unwrapped). */
export const trpcData = <T>(json: unknown) =>
  (json as { result: { data: { json: T } } }).result.data.json;

/** A call's `data` on success and its `error` (message, code, …) on refusal, from its JSON. */
export function trpcResult<E = { message: string; data: { code: string } }, T = unknown>(
  json: unknown,
): { data: T | undefined; error: E | undefined } {
  const body = json as { result?: { data: { json: T } }; error?: { json: E } } | null;
  return { data: body?.result?.data.json, error: body?.error?.json };
}

/** The Origin a browser on that app sends. */
export const appOrigin = (env: Env, app: AppName) =>
  new URL(app === "portal" ? env.PORTAL_URL : env.ADMIN_URL).origin;
