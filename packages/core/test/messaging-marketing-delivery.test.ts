import { schema } from "@xplorium/db";
import { insertCustomer } from "@xplorium/db/testing";
import type { EmailTransport, OutgoingEmail } from "@xplorium/email";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { deliverEmail } from "../src/messaging/deliver";
import { queueEmail } from "../src/messaging/queue";
import { useTestDatabase } from "./support";

const t = useTestDatabase();

function recordingTransport() {
  const sent: OutgoingEmail[] = [];
  const transport: EmailTransport = {
    name: "RESEND",
    async send(email) {
      sent.push(email);
      return { ok: true, providerMessageId: null };
    },
  };
  return { transport, sent };
}

const headersFor = (customerId: string) => ({
  "List-Unsubscribe": `<https://portal.test/unsubscribe/${customerId}.email.sig>`,
  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
});

async function marketingRow(customer: { id: string; email: string | null }) {
  const [row] = await t.db
    .insert(schema.emailMessages)
    .values({
      kind: "MARKETING",
      template: "campaign",
      customerId: customer.id,
      toEmail: customer.email,
      fromEmail: "Xplorium <hello@xplorium.example>",
      subject: "News",
      html: "<p>News</p>",
      text: "News",
      transport: "RESEND",
    })
    .returning({ id: schema.emailMessages.id });
  return row!.id;
}

const statusOf = async (id: string) =>
  (
    await t.db
      .select({ status: schema.emailMessages.status })
      .from(schema.emailMessages)
      .where(eq(schema.emailMessages.id, id))
  )[0]!.status;

describe("deliverEmail and marketing consent", () => {
  it("sends marketing to an opted-in customer with the unsubscribe headers", async () => {
    const customer = await insertCustomer(t.db);
    await t.sql`update customers set marketing_opt_in = true where id = ${customer.id}`;
    const id = await marketingRow(customer);
    const { transport, sent } = recordingTransport();
    expect(await deliverEmail(t.db, id, transport, { marketingHeaders: headersFor })).toBe("sent");
    expect(sent[0]!.headers).toEqual(headersFor(customer.id));
  });

  it("never sends marketing without the headers: a wiring bug throws and the row waits", async () => {
    const customer = await insertCustomer(t.db);
    await t.sql`update customers set marketing_opt_in = true where id = ${customer.id}`;
    const id = await marketingRow(customer);
    const { transport, sent } = recordingTransport();
    await expect(deliverEmail(t.db, id, transport)).rejects.toThrow(/List-Unsubscribe/);
    expect(sent).toHaveLength(0);
    expect(await statusOf(id)).toBe("QUEUED");
  });

  it("stops marketing to an opted-out customer but not their transactional mail", async () => {
    const customer = await insertCustomer(t.db);
    const marketing = await marketingRow(customer);
    const code = await queueEmail(t.db, {
      template: "sign-in-code",
      props: { name: null, code: "123456", magicLink: "http://p.test/l", expiresInMinutes: 10 },
      to: customer.email!,
      from: "Xplorium <hello@xplorium.example>",
      customerId: customer.id,
      transport: "RESEND",
    });
    const { transport, sent } = recordingTransport();
    const options = { marketingHeaders: headersFor };
    expect(await deliverEmail(t.db, marketing, transport, options)).toBe("opted-out");
    expect(await statusOf(marketing)).toBe("FAILED");
    expect(await deliverEmail(t.db, code, transport, options)).toBe("sent");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain("123456");
    expect(sent[0]!.headers).toBeUndefined();
  });
});
