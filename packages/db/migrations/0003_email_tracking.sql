ALTER TYPE "public"."consent_source" ADD VALUE 'COMPLAINT';--> statement-breakpoint
CREATE TABLE "marketing_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"track_opens_clicks" boolean DEFAULT false NOT NULL,
	"updated_by_staff_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "marketing_settings_singleton" CHECK ("marketing_settings"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "email_events" ADD COLUMN "campaign_id" uuid;--> statement-breakpoint
ALTER TABLE "email_events" ADD COLUMN "bounce_type" text;--> statement-breakpoint
ALTER TABLE "email_events" ADD COLUMN "link" text;--> statement-breakpoint
ALTER TABLE "marketing_settings" ADD CONSTRAINT "marketing_settings_updated_by_staff_id_staff_users_id_fk" FOREIGN KEY ("updated_by_staff_id") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_events" ADD CONSTRAINT "email_events_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_events_campaign_type_idx" ON "email_events" USING btree ("campaign_id","type","occurred_at") WHERE "email_events"."campaign_id" is not null;--> statement-breakpoint
CREATE INDEX "email_messages_campaign_status_idx" ON "email_messages" USING btree ("campaign_id","status") WHERE "email_messages"."campaign_id" is not null;--> statement-breakpoint
CREATE INDEX "email_messages_customer_marketing_sent_idx" ON "email_messages" USING btree ("customer_id","sent_at") WHERE "email_messages"."kind" = 'MARKETING' and "email_messages"."sent_at" is not null;--> statement-breakpoint
ALTER TABLE "email_events" ADD CONSTRAINT "email_events_bounce_type_check" CHECK ("email_events"."bounce_type" is null or "email_events"."bounce_type" in ('HARD', 'SOFT'));--> statement-breakpoint
-- The one settings row; open/click tracking starts off (privacy by default, see the ADR).
INSERT INTO "marketing_settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;--> statement-breakpoint
-- Events recorded before this migration get their message's campaign.
UPDATE "email_events" e SET "campaign_id" = m."campaign_id"
  FROM "email_messages" m
  WHERE m."id" = e."email_message_id" AND m."campaign_id" IS NOT NULL AND e."campaign_id" IS NULL;
