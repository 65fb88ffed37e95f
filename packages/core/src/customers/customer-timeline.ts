import { SECRET_TEMPLATES } from "@xplorium/email";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { DepsWith } from "../deps";

export const TIMELINE_KINDS = ["booking", "points", "tier", "consent", "email", "note"] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const customerTimelineInput = z.object({
  customerId: z.uuid({ message: "Unknown customer." }),
  limit: z.number().int().min(1).max(100).default(30),
  /** The `nextCursor` of the previous page. */
  cursor: z.object({ at: z.iso.datetime({ offset: true }), key: z.string().max(80) }).nullish(),
});
export type CustomerTimelineInput = z.input<typeof customerTimelineInput>;

export interface TimelineEvent {
  kind: TimelineKind;
  at: string;
  /** Unique across kinds: `<kind>:<id>`. */
  key: string;
  data: Record<string, unknown>;
}

/** Staff actions on a customer that belong on their contact timeline (as "note" events). */
const AUDIT_ACTIONS = [
  "customer.notes_set",
  "customer.tag_added",
  "customer.tag_removed",
  "customer.created",
  "customer.updated",
  "customer.merged",
];

/**
 * A secret email (sign-in code, magic link: TemplateDef.secret) is shown as its label ("Sign-in
 * code sent") and status, nothing more: not its subject, not its body. Built from the template
 * registry, so a new secret template is hidden here without a change.
 */
export function secretEmailLabel(template: SQL): SQL {
  if (SECRET_TEMPLATES.size === 0) return sql`null::text`;
  return sql`(case ${template} ${sql.join(
    [...SECRET_TEMPLATES].map(([name, { label }]) => sql`when ${name} then ${label}`),
    sql` `,
  )} end)`;
}

/**
 * Everything that happened with one customer, newest first, in one query: bookings, points,
 * tier changes, consent changes, emails and staff notes/edits. Each source is read through its
 * (customer, time) index; keyset pagination on (time, key).
 */
export async function customerTimeline({ db }: DepsWith<"db">, input: CustomerTimelineInput) {
  const { customerId, limit, cursor } = customerTimelineInput.parse(input);
  const after = cursor ? sql`where (at, key) < (${cursor.at}::timestamptz, ${cursor.key})` : sql``;
  // The cursor carries the time as text with microseconds: a JS Date would round to milliseconds
  // and skip or repeat events.
  const rows = await db.execute<{
    kind: TimelineKind;
    at: string;
    key: string;
    data: unknown;
  }>(sql`
    select kind, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at, key, data
    from (
      select 'booking' as kind, b.scheduled_at as at, 'booking:' || b.id as key,
        jsonb_build_object('type', b.type, 'status', b.status, 'amount', b.amount,
          'currency', b.currency, 'guests', b.guests, 'bookingId', b.id) as data
      from bookings b where b.customer_id = ${customerId}
      union all
      select 'points', l.created_at, 'points:' || l.id,
        jsonb_build_object('delta', l.delta, 'reason', l.reason, 'note', l.note,
          'balanceAfter', l.balance_after, 'staff', s.name)
      from loyalty_ledger l left join staff_users s on s.id = l.staff_user_id
      where l.customer_id = ${customerId}
      union all
      select 'tier', t.created_at, 'tier:' || t.id,
        jsonb_build_object('from', t.from_tier, 'to', t.to_tier, 'reason', t.reason)
      from tier_changes t where t.customer_id = ${customerId}
      union all
      select 'consent', e.created_at, 'consent:' || e.id,
        jsonb_build_object('channel', e.channel, 'action', e.action, 'state', e.state,
          'source', e.source)
      from consent_events e where e.customer_id = ${customerId}
      union all
      select 'email', m.created_at, 'email:' || m.id,
        case when ${secretEmailLabel(sql`m.template`)} is not null
          then jsonb_build_object('label', ${secretEmailLabel(sql`m.template`)}, 'status', m.status)
          else jsonb_build_object('subject', m.subject, 'status', m.status, 'template', m.template,
            'kind', m.kind)
        end
      from email_messages m where m.customer_id = ${customerId}
      union all
      select 'note', a.created_at, 'note:' || a.id,
        jsonb_build_object('action', a.action, 'details', a.details, 'staff', s.name)
      from audit_log a left join staff_users s on a.actor_type = 'STAFF' and s.id::text = a.actor_id
      where a.entity_type = 'customer' and a.entity_id = ${customerId}
        and a.action in (${sql.join(
          AUDIT_ACTIONS.map((a) => sql`${a}`),
          sql`, `,
        )})
    ) events
    ${after}
    order by at desc, key desc
    limit ${limit + 1}`);
  const events: TimelineEvent[] = rows.slice(0, limit).map((r) => ({
    kind: r.kind,
    at: r.at,
    key: r.key,
    data: r.data as Record<string, unknown>,
  }));
  const last = events.at(-1);
  return {
    events,
    nextCursor: rows.length > limit && last ? { at: last.at, key: last.key } : null,
  };
}
