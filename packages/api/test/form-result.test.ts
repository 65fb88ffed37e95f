import { TRPCError } from "@trpc/server";
import { AppError } from "@xplorium/core/errors";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CHECK_THE_FIELDS, type FormResult, formResult, parseForm } from "../src/action-errors";
import { databaseUnavailableError } from "../src/database-unavailable";

/** The form layer's server half (ADR 022): one result shape for every outcome of an action. */

const forms = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("rename"),
    name: z.string({ message: "Give it a name." }).max(5, { message: "Too long." }),
    yourPassword: z.string().optional(),
  }),
  z.object({ intent: z.literal("remove") }),
]);

const post = (fields: Record<string, string>) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return parseForm(form, forms);
};

/** What the action returns: the body, status and headers. */
function answer(result: ReturnType<typeof formResult>) {
  const { data, init } = result as unknown as {
    data: FormResult;
    init?: { status?: number; headers?: Headers };
  };
  return { body: data, status: init?.status ?? 200, headers: new Headers(init?.headers) };
}

const trpcError = (cause: AppError) =>
  new TRPCError({ code: cause.code, message: cause.message, cause });

describe("parseForm and formResult", () => {
  it("types a valid post by its intent and answers success with the toast", () => {
    const submission = post({ intent: "rename", name: "Ana" });
    expect(submission.status).toBe("success");
    if (submission.status !== "success") return;
    expect(submission.value).toEqual({ intent: "rename", name: "Ana" });
    const { body, status } = answer(formResult(submission, { toast: "Renamed." }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, intent: "rename", message: "Renamed." });
    expect(body.reply.status).toBe("success");
  });

  it("refuses an invalid post with 400, the schema's messages on the fields, and what was typed", () => {
    const { body, status } = answer(formResult(post({ intent: "rename", name: "Too long" })));
    expect(status).toBe(400);
    expect(body).toMatchObject({ ok: false, intent: "rename", message: CHECK_THE_FIELDS });
    expect(body.reply.error).toEqual({ name: ["Too long."] });
    expect(body.reply.initialValue).toEqual({ intent: "rename", name: "Too long" });
  });

  it("refuses an intent no form sends as an unknown action", () => {
    const { body, status } = answer(formResult(post({ intent: "explode" })));
    expect(status).toBe(400);
    expect(body.message).toBe("Unknown action.");
    expect(body.reply.error?.[""]).toEqual(["Unknown action."]);
  });

  it("shows a procedure's field errors on the fields, its status and reason kept", () => {
    const submission = post({ intent: "rename", name: "Ana", yourPassword: "hunter2" });
    const error = trpcError(
      new AppError("FORBIDDEN", "Enter your password again.", {
        reason: "REAUTH_REQUIRED",
        fieldErrors: { yourPassword: ["Wrong password."] },
      }),
    );
    const { body, status } = answer(formResult(submission, { error }));
    expect(status).toBe(403);
    expect(body).toMatchObject({
      ok: false,
      message: "Enter your password again.",
      reason: "REAUTH_REQUIRED",
    });
    expect(body.reply.error).toEqual({ yourPassword: ["Wrong password."] });
    // A password is never sent back to refill the form.
    expect(body.reply.initialValue).toEqual({ intent: "rename", name: "Ana" });
  });

  it("flattens a procedure's zod error onto the fields", () => {
    const cause = z.object({ name: z.string().min(3, { message: "At least 3." }) }).safeParse({
      name: "A",
    }).error;
    const error = new TRPCError({ code: "BAD_REQUEST", cause });
    const { body, status } = answer(formResult(post({ intent: "rename", name: "A" }), { error }));
    expect(status).toBe(400);
    expect(body.message).toBe(CHECK_THE_FIELDS);
    expect(body.reply.error).toEqual({ name: ["At least 3."] });
  });

  it("asks a rate-limited form to wait: 429 with Retry-After, the message as the form's error", () => {
    const error = trpcError(
      new AppError("TOO_MANY_REQUESTS", "Too many tries. Try again later.", {
        retryAfterSeconds: 29.2,
      }),
    );
    const { body, status, headers } = answer(
      formResult(post({ intent: "remove" }), { error, headers: new Headers() }),
    );
    expect(status).toBe(429);
    expect(headers.get("Retry-After")).toBe("30");
    expect(body).toMatchObject({
      retryAfterSeconds: 29.2,
      message: "Too many tries. Try again later.",
    });
    expect(body.reply.error?.[""]).toEqual(["Too many tries. Try again later."]);
  });

  it("answers 503 while the database is away, keeping the Retry-After the procedure set", () => {
    const headers = new Headers();
    const error = databaseUnavailableError(new Error("ECONNREFUSED"), headers);
    const {
      body,
      status,
      headers: sent,
    } = answer(formResult(post({ intent: "remove" }), { error, headers }));
    expect(status).toBe(503);
    expect(sent.get("Retry-After")).toBe("5");
    expect(body.message).toMatch(/try again in a few seconds/);
  });

  it("answers a refusal of the action's own", () => {
    const refuse = { message: "Choose when.", fieldErrors: { name: ["Enter a date."] } };
    const { body, status } = answer(
      formResult(post({ intent: "rename", name: "Ana" }), { refuse }),
    );
    expect(status).toBe(400);
    expect(body.message).toBe("Choose when.");
    expect(body.reply.error).toEqual({ name: ["Enter a date."] });
  });

  it("rethrows anything that is not a procedure's answer (the error boundary shows it)", () => {
    const submission = post({ intent: "remove" });
    expect(() => formResult(submission, { error: new Error("bug") })).toThrow("bug");
    const internal = new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: new Error("bug") });
    expect(() => formResult(submission, { error: internal })).toThrow(internal);
  });
});
