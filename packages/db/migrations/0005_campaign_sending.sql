ALTER TABLE "campaigns" ADD COLUMN "to_whole_list" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "failed_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "last_progress_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "email_messages" ADD COLUMN "batch_no" integer;--> statement-breakpoint
ALTER TABLE "email_messages" ADD COLUMN "attempted_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "email_messages_campaign_batch_idx" ON "email_messages" USING btree ("campaign_id","status","batch_no") WHERE "email_messages"."campaign_id" is not null;