import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** When it arrived (Date.now()): the pace of requests, in benchmarks. */
  receivedAt: number;
  /** What the fake answered. */
  status: number;
  responseId: string | null;
  /**
   * Answered from the record of an earlier request with the same Idempotency-Key (as Resend
   * does for 24 hours): nothing was sent again.
   */
  replayed: boolean;
}

/** One email as the Resend API receives it (snake_case JSON). */
export interface ResendEmailBody {
  from: string;
  to: string[] | string;
  subject: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
  tags?: { name: string; value: string }[];
}

export interface FakeResend {
  /** Pass as RESEND_BASE_URL (no trailing slash). */
  url: string;
  requests: RecordedRequest[];
  /** Requests the fake accepted and acted on, i.e. emails "sent" (idempotent replays excluded). */
  delivered(): RecordedRequest[];
  /** Every email of the delivered requests, batches flattened, in the order received. */
  deliveredEmails(): ResendEmailBody[];
  /**
   * The next `count` requests fail with `status` (Resend's JSON error shape). A 429 carries
   * `Retry-After: 1` unless `retryAfter` says otherwise (null: no header).
   */
  failNext(count: number, status: number, opts?: { retryAfter?: string | null }): void;
  reset(): void;
  close(): Promise<void>;
}

const ERROR_NAMES: Record<number, string> = {
  400: "validation_error",
  401: "missing_api_key",
  403: "invalid_api_key",
  422: "validation_error",
  429: "rate_limit_exceeded",
  500: "internal_server_error",
  503: "internal_server_error",
};

const digestOf = (raw: string) => createHash("sha256").update(raw).digest("hex");

const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;

/** What Resend's validation would refuse in one email, or null. */
function emailProblem(body: unknown): string | null {
  if (!body || typeof body !== "object") return "The request body must be an email object.";
  const e = body as Partial<ResendEmailBody>;
  if (!e.from) return "The `from` field is required.";
  if (!e.to || (Array.isArray(e.to) && (e.to.length === 0 || e.to.length > 50))) {
    return "The `to` field needs 1 to 50 addresses.";
  }
  if (!e.subject) return "The `subject` field is required.";
  if (!e.html && !e.text) return "Either `html` or `text` is required.";
  for (const tag of e.tags ?? []) {
    if (!TAG_PART.test(tag.name) || !TAG_PART.test(tag.value)) {
      return "Tags may only contain ASCII letters, numbers, underscores and dashes.";
    }
  }
  return null;
}

/** A batch is an array of 1 to 100 emails, validated strictly (all or nothing). */
function batchProblem(body: unknown): string | null {
  if (!Array.isArray(body) || body.length === 0) return "The batch must be a non-empty array.";
  if (body.length > 100) return "A batch holds at most 100 emails.";
  for (const [i, email] of body.entries()) {
    const problem = emailProblem(email);
    if (problem) return `Email ${i}: ${problem}`;
  }
  return null;
}

export interface FakeResendOptions {
  /**
   * Record each email as only `{ to, tags }` (the full body is still validated). For sending
   * at volume (bench/scenarios/campaign.ts: 100,000 emails are ~650 MB of JSON).
   */
  slim?: boolean;
}

/**
 * A local stand-in for api.resend.com: accepts POST /emails and /emails/batch, records every
 * request (headers included) and answers like Resend does: validation (422), Idempotency-Key
 * (a repeat with the same body gets the first answer and sends nothing; another body with the
 * same key gets 409 invalid_idempotent_request), and injected failures (429 with Retry-After).
 */
export async function startFakeResend(opts: FakeResendOptions = {}): Promise<FakeResend> {
  const requests: RecordedRequest[] = [];
  const failures: { status: number; retryAfter: string | null }[] = [];
  // Idempotency-Key → the first successful request's path, body digest and answer.
  const idempotent = new Map<string, { path: string; digest: string; payload: unknown }>();
  const slimEmail = (e: unknown) =>
    e && typeof e === "object"
      ? { to: (e as ResendEmailBody).to, tags: (e as ResendEmailBody).tags }
      : e;

  const server = createServer(async (req, res) => {
    const receivedAt = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      // keep the raw text
    }
    const path = (req.url ?? "/").split("?")[0]!;
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body,
      receivedAt,
      status: 0,
      responseId: null,
      replayed: false,
    };
    if (opts.slim) record.body = Array.isArray(body) ? body.map(slimEmail) : slimEmail(body);
    requests.push(record);

    const reply = (status: number, payload: unknown, extraHeaders: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { "content-type": "application/json", ...extraHeaders });
      res.end(JSON.stringify(payload));
    };

    if (req.method !== "POST" || (path !== "/emails" && path !== "/emails/batch")) {
      return reply(404, {
        statusCode: 404,
        name: "not_found",
        message: "The requested endpoint does not exist.",
      });
    }
    if (!req.headers.authorization?.startsWith("Bearer re_")) {
      return reply(401, {
        statusCode: 401,
        name: "missing_api_key",
        message: "Missing API key in the authorization header.",
      });
    }
    const failure = failures.shift();
    if (failure !== undefined) {
      return reply(
        failure.status,
        {
          statusCode: failure.status,
          name: ERROR_NAMES[failure.status] ?? "application_error",
          message: `Fake failure ${failure.status}`,
        },
        failure.retryAfter !== null ? { "retry-after": failure.retryAfter } : {},
      );
    }
    const key = req.headers["idempotency-key"];
    const idempotencyKey = typeof key === "string" ? key : null;
    const earlier = idempotencyKey ? idempotent.get(idempotencyKey) : undefined;
    if (earlier) {
      if (earlier.path !== path || earlier.digest !== digestOf(raw)) {
        return reply(409, {
          statusCode: 409,
          name: "invalid_idempotent_request",
          message: "Same idempotency key used with a different request payload.",
        });
      }
      record.replayed = true;
      return reply(200, earlier.payload);
    }
    const invalid = path === "/emails/batch" ? batchProblem(body) : emailProblem(body);
    if (invalid) {
      return reply(422, { statusCode: 422, name: "validation_error", message: invalid });
    }
    const accept = (payload: unknown) => {
      if (idempotencyKey) idempotent.set(idempotencyKey, { path, digest: digestOf(raw), payload });
      return reply(200, payload);
    };
    if (path === "/emails/batch") {
      const items = body as unknown[];
      const data = items.map(() => ({ id: randomUUID() }));
      return accept({ data });
    }
    const id = randomUUID();
    record.responseId = id;
    return accept({ id });
  });

  const delivered = () => requests.filter((r) => r.status === 200 && !r.replayed);

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered,
    deliveredEmails: () =>
      delivered().flatMap((r) =>
        r.path === "/emails/batch" ? (r.body as ResendEmailBody[]) : [r.body as ResendEmailBody],
      ),
    failNext(count, status, opts = {}) {
      const retryAfter =
        opts.retryAfter === undefined ? (status === 429 ? "1" : null) : opts.retryAfter;
      for (let i = 0; i < count; i++) failures.push({ status, retryAfter });
    },
    reset() {
      requests.length = 0;
      failures.length = 0;
      idempotent.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
