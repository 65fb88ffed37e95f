CREATE TYPE "public"."job_run_status" AS ENUM('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED');--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"status" "job_run_status" DEFAULT 'QUEUED' NOT NULL,
	"progress" jsonb,
	"result" jsonb,
	"error" text,
	"requested_by_staff_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "bookings" ALTER COLUMN "customer_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "review_posted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "job_runs" ADD CONSTRAINT "job_runs_requested_by_staff_id_staff_users_id_fk" FOREIGN KEY ("requested_by_staff_id") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "job_runs_kind_created_idx" ON "job_runs" USING btree ("kind","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "bookings_unlinked_email_idx" ON "bookings" USING btree (lower(btrim("contact_email"))) WHERE "bookings"."customer_id" is null;--> statement-breakpoint
-- The points ledger is append-only (DESIGN.md "Points ledger"): rows never change amounts and are
-- never deleted. Only two updates are allowed: re-homing rows to the survivor of a merge, and
-- clearing a staff note on erasure.
CREATE FUNCTION loyalty_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'loyalty_ledger is append-only: rows cannot be deleted' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF (NEW.id, NEW.delta, NEW.reason, NEW.balance_after, NEW.counts_toward_lifetime, NEW.lifetime_after,
      NEW.booking_id, NEW.voucher_id, NEW.idempotency_key, NEW.created_at)
     IS DISTINCT FROM
     (OLD.id, OLD.delta, OLD.reason, OLD.balance_after, OLD.counts_toward_lifetime, OLD.lifetime_after,
      OLD.booking_id, OLD.voucher_id, OLD.idempotency_key, OLD.created_at)
     OR (NEW.note IS DISTINCT FROM OLD.note AND NEW.note IS NOT NULL) THEN
    RAISE EXCEPTION 'loyalty_ledger is append-only: only customer_id (merge) and note (erasure) may change' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER loyalty_ledger_append_only BEFORE UPDATE OR DELETE ON loyalty_ledger
  FOR EACH ROW EXECUTE FUNCTION loyalty_ledger_append_only();--> statement-breakpoint
-- balance = sum(ledger.delta), checked at commit for every customer whose balance or ledger
-- changed in the transaction. A write that moves points without a ledger row (or a ledger row
-- without the balance) cannot commit.
CREATE FUNCTION loyalty_balance_matches_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  -- TG_ARGV[0] names the column holding the customer id on the triggering table.
  cid uuid := (to_jsonb(NEW) ->> TG_ARGV[0])::uuid;
  balance integer;
  total bigint;
BEGIN
  SELECT loyalty_points INTO balance FROM customers WHERE id = cid;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  SELECT coalesce(sum(delta), 0) INTO total FROM loyalty_ledger WHERE customer_id = cid;
  IF balance <> total THEN
    RAISE EXCEPTION 'points balance % of customer % does not match its ledger sum %', balance, cid, total
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER customers_balance_matches_ledger
  AFTER INSERT OR UPDATE OF loyalty_points ON customers
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  EXECUTE FUNCTION loyalty_balance_matches_ledger('id');--> statement-breakpoint
CREATE CONSTRAINT TRIGGER loyalty_ledger_balance_matches
  AFTER INSERT OR UPDATE OF customer_id ON loyalty_ledger
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  EXECUTE FUNCTION loyalty_balance_matches_ledger('customer_id');
