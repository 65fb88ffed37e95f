import type postgres from "postgres";

/**
 * A journey's inbox for secret emails (a sign-in code, a magic link). The e2e servers run in
 * production mode on EMAIL_TRANSPORT=outbox, where such an email keeps no body once delivered
 * and no staff screen shows it (issue 14, finding 1), so the journey keeps its own copy of each
 * one queued to its address, as the family's inbox would receive it: a trigger copies the text
 * of the given templates to `to` into a table of the journey's own, dropped by `close`.
 */
export interface Mailbox {
  /** The newest text received since the mailbox opened that matches, waiting up to 10 s. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  close(): Promise<void>;
}

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

export async function openMailbox(
  sql: postgres.Sql,
  name: string,
  opts: { templates: string[]; to: string },
): Promise<Mailbox> {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new Error(`Not a mailbox name: ${name}`);
  const table = `e2e_mailbox_${name}`;
  const templates = opts.templates.map(literal).join(", ");
  await sql.unsafe(`
    create table if not exists ${table} (text text, at timestamptz default clock_timestamp());
    create or replace function ${table}() returns trigger language plpgsql as $$
    begin
      if new.template in (${templates}) and new.to_email = ${literal(opts.to)}
        and new.text is not null then
        insert into ${table} (text) values (new.text);
      end if;
      return new;
    end $$;
    drop trigger if exists ${table} on email_messages;
    create trigger ${table} after insert on email_messages
      for each row execute function ${table}();`);
  return {
    async waitFor(pattern) {
      for (let i = 0; i < 40; i++) {
        const [row] = await sql.unsafe<{ text: string }[]>(
          `select text from ${table} order by at desc limit 1`,
        );
        const match = pattern.exec(row?.text ?? "");
        if (match) return match;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`nothing matching ${pattern} arrived for ${opts.to}`);
    },
    async close() {
      await sql.unsafe(`
        drop trigger if exists ${table} on email_messages;
        drop function if exists ${table}();
        drop table if exists ${table};`);
    },
  };
}
