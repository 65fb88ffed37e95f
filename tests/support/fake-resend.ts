import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** What the fake answered. */
  status: number;
  responseId: string | null;
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
  /** Requests the fake accepted, i.e. emails "sent". */
  delivered(): RecordedRequest[];
  /** The next `count` requests fail with `status` (Resend's JSON error shape). */
  failNext(count: number, status: number): void;
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

/**
 * A local stand-in for api.resend.com: accepts POST /emails and /emails/batch, records every
 * request (headers included) and answers like Resend does.
 */
export async function startFakeResend(): Promise<FakeResend> {
  const requests: RecordedRequest[] = [];
  const failures: number[] = [];

  const server = createServer(async (req, res) => {
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
      status: 0,
      responseId: null,
    };
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
        failure,
        {
          statusCode: failure,
          name: ERROR_NAMES[failure] ?? "application_error",
          message: `Fake failure ${failure}`,
        },
        failure === 429 ? { "retry-after": "1" } : {},
      );
    }
    if (path === "/emails/batch") {
      const items = Array.isArray(body) ? body : [];
      const data = items.map(() => ({ id: randomUUID() }));
      return reply(200, { data });
    }
    const id = randomUUID();
    record.responseId = id;
    return reply(200, { id });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    delivered: () => requests.filter((r) => r.status === 200),
    failNext(count, status) {
      for (let i = 0; i < count; i++) failures.push(status);
    },
    reset() {
      requests.length = 0;
      failures.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
