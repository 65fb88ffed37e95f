import { type Env, isLocalDevelopment } from "@xplorium/config";
import { type Database, schema } from "@xplorium/db";
import { personalize, renderMarketingTemplate, SECRET_TEMPLATES } from "@xplorium/email";
import { and, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { unsubscribeUrl } from "../consent/unsubscribe";
import { mergeValuesFor } from "../marketing/merge-values";

const { emailMessages, campaigns, customers } = schema;

interface OutboxRow {
  id: string;
  campaignId: string | null;
  customerId: string | null;
  toEmail: string | null;
  subject: string;
  html: string | null;
  text: string | null;
}

/**
 * Campaign emails keep no body (a campaign to 100,000 people would store 100,000 copies): the
 * outbox renders the page's ones on demand, each campaign once, personalised with the customer
 * as they are now (so the points shown may have moved since it was sent).
 */
async function withCampaignBodies<R extends OutboxRow>(
  db: Database,
  config: Pick<Env, "SESSION_SECRET" | "PORTAL_URL">,
  rows: R[],
): Promise<R[]> {
  const bodiless = rows.filter((r) => !r.html && r.campaignId && r.customerId && r.toEmail);
  if (bodiless.length === 0) return rows;
  const campaignIds = [...new Set(bodiless.map((r) => r.campaignId!))];
  const customerIds = [...new Set(bodiless.map((r) => r.customerId!))];
  const [messages, people] = await Promise.all([
    db
      .select({
        id: campaigns.id,
        subject: campaigns.subject,
        preheader: campaigns.preheader,
        bodyMarkdown: campaigns.bodyMarkdown,
      })
      .from(campaigns)
      .where(inArray(campaigns.id, campaignIds)),
    db
      .select({
        id: customers.id,
        name: customers.name,
        loyaltyPoints: customers.loyaltyPoints,
        lifetimePoints: customers.lifetimePoints,
        loyaltyTier: customers.loyaltyTier,
      })
      .from(customers)
      .where(inArray(customers.id, customerIds)),
  ]);
  const templates = new Map(
    await Promise.all(messages.map(async (m) => [m.id, await renderMarketingTemplate(m)] as const)),
  );
  const personById = new Map(people.map((p) => [p.id, p]));
  return rows.map((row) => {
    const template = row.campaignId ? templates.get(row.campaignId) : undefined;
    const person = row.customerId ? personById.get(row.customerId) : undefined;
    if (row.html || !template || !person) return row;
    const email = personalize(template, {
      ...mergeValuesFor(person),
      unsubscribeUrl: unsubscribeUrl(config, { customerId: person.id, channel: "EMAIL" }),
    });
    return { ...row, subject: email.subject, html: email.html, text: email.text };
  });
}

/**
 * A secret email (sign-in or sign-up code, magic link: TemplateDef.secret) as the outbox shows
 * it: its body and subject only in development (NODE_ENV=development, where the outbox is how a
 * developer signs in) and only while its code still works; otherwise what the timeline shows
 * ("Sign-in code sent"), without a body, whatever the row still holds. A staff password-reset
 * link (`addresseeOnly`) shows only to the staff member it was sent to: Marketing reading the
 * owner's would own the account.
 */
function withSecretsHidden<R extends OutboxRow & { template: string; createdAt: Date }>(
  rows: R[],
  development: boolean,
  now: Date,
  viewerEmail: string | null,
): R[] {
  return rows.map((row) => {
    const secret = SECRET_TEMPLATES.get(row.template);
    if (!secret) return row;
    const live = now.getTime() - row.createdAt.getTime() < secret.validForSeconds * 1000;
    const readable =
      !secret.addresseeOnly ||
      (viewerEmail !== null && row.toEmail?.trim().toLowerCase() === viewerEmail);
    if (development && live && readable) return row;
    return { ...row, subject: secret.label, html: null, text: null };
  });
}

// Cursors carry a JavaScript Date (milliseconds); PostgreSQL keeps microseconds. Ordering and
// comparing on the millisecond-truncated time keeps pages exact.
const createdMs = sql`date_trunc('milliseconds', ${emailMessages.createdAt})`;

/**
 * The development outbox, newest first, keyset-paginated on (created_at, id). With `config`
 * (the unsubscribe links' key and origin), campaign emails come with their body rendered. Sign-in
 * and sign-up code emails show their body only in development, until the code expires.
 */
export async function listOutbox(
  db: Database,
  input: {
    limit: number;
    cursor?: { createdAt: Date; id: string } | undefined;
    to?: string | undefined;
  },
  config?: Pick<Env, "SESSION_SECRET" | "PORTAL_URL"> &
    Partial<Pick<Env, "NODE_ENV" | "HOST" | "ADMIN_URL">>,
  now = new Date(),
  /** Who reads it: an `addresseeOnly` secret (reset link) shows only to its addressee. */
  viewer: { viewerEmail?: string } = {},
) {
  const rows = await db
    .select({
      id: emailMessages.id,
      campaignId: emailMessages.campaignId,
      customerId: emailMessages.customerId,
      toEmail: emailMessages.toEmail,
      subject: emailMessages.subject,
      template: emailMessages.template,
      status: emailMessages.status,
      html: emailMessages.html,
      text: emailMessages.text,
      createdAt: emailMessages.createdAt,
    })
    .from(emailMessages)
    .where(
      and(
        eq(emailMessages.transport, "OUTBOX"),
        input.to ? eq(emailMessages.toEmail, input.to) : undefined,
        input.cursor
          ? or(
              sql`${createdMs} < ${input.cursor.createdAt.toISOString()}::timestamptz`,
              and(
                sql`${createdMs} = ${input.cursor.createdAt.toISOString()}::timestamptz`,
                lt(emailMessages.id, input.cursor.id),
              ),
            )
          : undefined,
      ),
    )
    .orderBy(sql`${createdMs} desc`, desc(emailMessages.id))
    .limit(input.limit + 1);
  const page = withSecretsHidden(
    rows.slice(0, input.limit),
    config ? isLocalDevelopment(config) : false,
    now,
    viewer.viewerEmail?.trim().toLowerCase() ?? null,
  );
  const last = page.at(-1);
  return {
    items: config ? await withCampaignBodies(db, config, page) : page,
    nextCursor:
      rows.length > input.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}
