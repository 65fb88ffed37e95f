import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { repoRoot } from "@xplorium/db/embedded";
import { JOBS } from "@xplorium/domain";
import {
  type FakeResend,
  type ResendEmailBody,
  startFakeResend,
} from "../../tests/support/fake-resend";
import { type BenchContext, mustMutate, sleep } from "../kit";
import { round, withPeakRss } from "../report";

/**
 * `campaign` (issue 9): a campaign sent the way the product sends it, against the local fake
 * Resend API (tests/support/fake-resend.ts, the real `resend` SDK pointed at it with
 * RESEND_BASE_URL): a segment and a campaign made over HTTP by staff, the real worker process
 * (apps/worker, its `campaign:send` task) started with the fake's URL and an API key, then
 * `campaigns.sendNow` over HTTP and the clock stopped when the campaign is SENT (every
 * recipient's row SENT, the campaign finished).
 *
 * 1. Unlimited (`RESEND_MAX_REQUESTS_PER_SECOND=0`, a local fake only): 100,000 recipients
 *    (fewer only when the data set has fewer opted-in customers; BENCH_CUSTOMERS=200000 has
 *    ~120k), budget ≥ 3,000 emails/s.
 * 2. Limited (`RESEND_MAX_REQUESTS_PER_SECOND=2`, Resend's default team limit): batches of 100
 *    allow 200 emails/s; 6,000 recipients = 60 requests ≈ 30 s, budget ≥ 95% of that.
 *
 * Both check exactly-once: the fake received every recipient's email once (by the `email_id`
 * tracking tag and by address), each batch under its own idempotency key, nothing refused or
 * replayed, and every `email_messages` row of the campaign SENT.
 *
 * The recipients are exactly N opted-in customers given the tag `bench-campaign-<N>` (set-based
 * UPDATE; the tag is moved to the same customers on every run), so the segment is "tag + opted
 * in". The worker is started per run (its environment holds the limit) and stopped after; it
 * first finishes the analytics refresh it queues on start, so the send has the machine to itself.
 */
const UNLIMITED_RECIPIENTS = Number(process.env.BENCH_CAMPAIGN_RECIPIENTS ?? 100_000);
const LIMITED_RECIPIENTS = 6_000;
const BATCH = 100;

export async function campaignScenarios(ctx: BenchContext) {
  const fake = await startFakeResend({ slim: true });
  try {
    const [{ n: available } = { n: 0 }] = await ctx.sql<{ n: number }[]>`
      select count(*)::int as n from customers
      where erased_at is null and marketing_opt_in and email is not null`;
    const recipients = Math.min(UNLIMITED_RECIPIENTS, available);
    await campaignRun(ctx, fake, {
      recipients,
      requestsPerSecond: 0,
      name: `campaign to ${recipients.toLocaleString("en")} recipients, fake Resend, no rate limit`,
      minRate: 3000,
      budget: "≥ 3,000 emails/s",
      // The budget is for 100,000: a smaller send is mostly fixed costs (job pickup, snapshot).
      judged: recipients >= UNLIMITED_RECIPIENTS,
      extraNote:
        recipients < UNLIMITED_RECIPIENTS
          ? `only ${available} opted-in customers in this data set (BENCH_CUSTOMERS=200000 has enough for 100k)`
          : "",
    });
    fake.reset();
    const limited = Math.min(LIMITED_RECIPIENTS, available);
    await campaignRun(ctx, fake, {
      recipients: limited,
      requestsPerSecond: 2,
      name: `campaign to ${limited.toLocaleString("en")} recipients, RESEND_MAX_REQUESTS_PER_SECOND=2`,
      minRate: 0.95 * 2 * BATCH,
      judged: true,
      budget: "≥ 95% of 200 emails/s (2 requests/s × 100)",
      extraNote: `bounded: ${Math.ceil(limited / BATCH)} requests ≈ ${Math.ceil(limited / BATCH) / 2} s`,
    });
  } finally {
    await fake.close();
  }
}

async function campaignRun(
  ctx: BenchContext,
  fake: FakeResend,
  opts: {
    recipients: number;
    requestsPerSecond: number;
    name: string;
    minRate: number;
    /** Whether the budget applies (false: met is null, the row is informational). */
    judged: boolean;
    budget: string;
    extraNote: string;
  },
) {
  const { sql } = ctx;
  const n = opts.recipients;
  const tag = `bench-campaign-${n}`;
  const stamp = new Date().toISOString().slice(0, 19);

  // Exactly n opted-in customers carry the tag (the same ones on every run).
  const [{ tagged } = { tagged: 0 }] = await sql<{ tagged: number }[]>`
    select count(*)::int as tagged from customers
    where tags @> array[${tag}]::text[] and erased_at is null and marketing_opt_in and email is not null`;
  if (tagged !== n) {
    await sql`update customers set tags = array_remove(tags, ${tag}) where tags @> array[${tag}]::text[]`;
    await sql`
      update customers set tags = tags || array[${tag}]::text[]
      where id in (select id from customers
                   where erased_at is null and marketing_opt_in and email is not null
                   order by id limit ${n})`;
  }
  const segment = await mustMutate<{ id: string }>(
    ctx.adminUrl,
    "segments.create",
    ctx.staffCookie,
    {
      name: `Benchmark ${n} (${stamp})`,
      description: "bench/scenarios/campaign.ts",
      filter: { tagsAny: [tag], emailOptIn: true },
    },
  );
  const campaign = await mustMutate<{ id: string }>(
    ctx.adminUrl,
    "campaigns.create",
    ctx.staffCookie,
    {
      name: `Benchmark ${n} (${stamp})`,
      subject: "{{firstName}}, a table is waiting",
      preheader: "You have {{points}} points",
      bodyMarkdown:
        "Hi {{firstName}},\n\nYou have **{{points}} points** and you are **{{tier}}**: " +
        "{{pointsToNextTier}} more to the next tier.\n\n" +
        "- Weekend brunch in the café\n- Playground afternoons\n- Birthday parties\n\n" +
        "[Book a table](https://xplorium.example/book)\n\nSee you soon!",
      segmentId: segment.id,
    },
  );

  const worker = await startWorker(ctx, fake, opts.requestsPerSecond);
  try {
    ctx.log(`  ${opts.name}: sending…`);
    const timeoutMs =
      60_000 + (opts.requestsPerSecond ? (n / BATCH / opts.requestsPerSecond) * 2000 : n * 2);
    const [done, peak] = await withPeakRss(worker.process.pid ?? 0, async () => {
      const t0 = performance.now();
      await mustMutate(ctx.adminUrl, "campaigns.sendNow", ctx.staffCookie, { id: campaign.id });
      for (;;) {
        const [row] = await sql<{ status: string; sent: number; failed: number }[]>`
          select status, sent_count as sent, failed_count as failed
          from campaigns where id = ${campaign.id}`;
        if (row && !["SCHEDULED", "SENDING"].includes(row.status)) {
          return { ms: performance.now() - t0, ...row };
        }
        if (performance.now() - t0 > timeoutMs) {
          throw new Error(`campaign not sent after ${timeoutMs} ms: ${JSON.stringify(row)}`);
        }
        if (worker.exited()) throw new Error(`the worker exited:\n${worker.tail()}`);
        await sleep(50);
      }
    });
    const seconds = done.ms / 1000;
    const rate = n / seconds;

    // Exactly once, from both ends.
    const problems: string[] = [];
    const [db] = await sql<
      {
        status: string;
        recipients: number;
        sent: number;
        failed: number;
        rows: number;
        rowsSent: number;
        snapshotS: number;
        sendingS: number;
      }[]
    >`
      select c.status, c.recipient_count as recipients, c.sent_count as sent,
             c.failed_count as failed,
             (select count(*)::int from email_messages m where m.campaign_id = c.id) as rows,
             (select count(*)::int from email_messages m
              where m.campaign_id = c.id and m.status = 'SENT') as "rowsSent",
             extract(epoch from c.started_at - c.scheduled_at)::float8 as "snapshotS",
             extract(epoch from c.finished_at - c.started_at)::float8 as "sendingS"
      from campaigns c where c.id = ${campaign.id}`;
    if (
      db?.status !== "SENT" ||
      db.recipients !== n ||
      db.sent !== n ||
      db.failed !== 0 ||
      db.rows !== n ||
      db.rowsSent !== n
    ) {
      problems.push(`campaign in the database: ${JSON.stringify(db)}, want ${n} SENT`);
    }
    const mine = fake.requests.filter(
      (r) =>
        Array.isArray(r.body) &&
        (r.body as ResendEmailBody[]).some((e) =>
          e.tags?.some((t) => t.name === "campaign_id" && t.value === campaign.id),
        ),
    );
    const refused = fake.requests.filter((r) => r.status !== 200);
    if (refused.length > 0) problems.push(`${refused.length} requests refused by the fake`);
    const replayed = mine.filter((r) => r.replayed);
    if (replayed.length > 0) problems.push(`${replayed.length} batches replayed`);
    const delivered = mine.filter((r) => r.status === 200 && !r.replayed);
    const keys = new Set(delivered.map((r) => r.headers["idempotency-key"]));
    if (keys.size !== delivered.length) problems.push("two batches under one idempotency key");
    const emails = delivered.flatMap((r) => r.body as ResendEmailBody[]);
    const byId = new Map<string, number>();
    for (const e of emails) {
      const id = e.tags?.find((t) => t.name === "email_id")?.value ?? "?";
      byId.set(id, (byId.get(id) ?? 0) + 1);
    }
    const twice = [...byId.values()].filter((x) => x !== 1).length;
    const addresses = new Set(emails.map((e) => (Array.isArray(e.to) ? e.to[0] : e.to)));
    const dbRows = await sql<{ id: string; to: string }[]>`
      select id::text, to_email as to from email_messages where campaign_id = ${campaign.id}`;
    const missing = dbRows.filter((r) => byId.get(r.id) !== 1 || !addresses.has(r.to)).length;
    if (emails.length !== n || byId.size !== n || twice > 0 || addresses.size !== n || missing) {
      problems.push(
        `fake received ${emails.length} emails, ${byId.size} distinct ids, ${twice} not once, ${addresses.size} addresses, ${missing} recipients not received exactly once`,
      );
    }
    const times = delivered.map((r) => r.receivedAt).sort((a, b) => a - b);
    const window = times.length > 1 ? (times.at(-1)! - times[0]!) / 1000 : 0;
    const requestRate = window > 0 ? (times.length - 1) / window : null;
    const bodyMb =
      delivered.reduce((s, r) => s + Number(r.headers["content-length"] ?? 0), 0) / 1e6;

    const met = problems.length > 0 ? false : opts.judged ? rate >= opts.minRate : null;
    ctx.record({
      scenario: opts.name,
      p50: null,
      p95: null,
      p99: null,
      throughput: round(rate),
      unit: "emails/s",
      peakRssMb: round(peak),
      rawP50: null,
      ratio: null,
      budget: opts.budget,
      met,
      note: [
        `send now → all ${n} SENT in ${seconds.toFixed(1)} s (snapshot ${db?.snapshotS?.toFixed(2)} s, batches ${db?.sendingS?.toFixed(1)} s)`,
        `${delivered.length} batch requests, ${requestRate === null ? "–" : requestRate.toFixed(2)} requests/s first→last, ${bodyMb.toFixed(0)} MB of JSON`,
        problems.length === 0 ? "exactly once: every recipient received once" : problems.join("; "),
        "peak RSS is the worker process's",
        opts.extraNote,
      ]
        .filter(Boolean)
        .join("; "),
    });
    ctx.log(
      `  ${opts.name}: ${round(rate)} emails/s (${seconds.toFixed(1)} s), ${problems.length === 0 ? "exactly once" : problems.join("; ")}`,
    );
  } finally {
    await worker.stop();
  }
}

/**
 * The real worker (apps/worker, `node --import tsx src/main.ts`) on the benchmark database with
 * the fake Resend; resolves once it runs and the analytics refresh it queues on start is done.
 */
async function startWorker(ctx: BenchContext, fake: FakeResend, requestsPerSecond: number) {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: path.join(repoRoot, "apps", "worker"),
    env: {
      ...ctx.env,
      LOG_LEVEL: "info",
      RESEND_API_KEY: "re_bench_campaign",
      RESEND_BASE_URL: fake.url,
      RESEND_MAX_REQUESTS_PER_SECOND: String(requestsPerSecond),
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const lines: string[] = [];
  let running = false;
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line) continue;
      if (line.includes("worker running")) running = true;
      lines.push(line);
      if (lines.length > 40) lines.shift();
    }
  };
  // Always drained: a full pipe would stall the worker.
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const tail = () => lines.join("\n");
  const stop = async () => {
    if (exitCode !== undefined || !child.pid) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    const killed = await Promise.race([exited.then(() => true), sleep(30_000).then(() => false)]);
    if (!killed) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
      await exited;
    }
  };
  try {
    const until = Date.now() + 180_000;
    while (!running) {
      if (exitCode !== undefined) throw new Error(`the worker exited (${exitCode}):\n${tail()}`);
      if (Date.now() > until) throw new Error(`the worker did not start:\n${tail()}`);
      await sleep(100);
    }
    for (;;) {
      const [{ n } = { n: 0 }] = await ctx.sql<{ n: number }[]>`
        select count(*)::int as n from graphile_worker.jobs
        where task_identifier = ${JOBS.refreshAnalytics}`;
      if (n === 0) break;
      if (Date.now() > until) throw new Error("the worker's analytics refresh did not finish");
      await sleep(200);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { process: child, exited: () => exitCode !== undefined, tail, stop };
}
