CREATE TYPE "public"."automation_kind" AS ENUM('BIRTHDAY', 'WIN_BACK', 'TIER_UPGRADE');--> statement-breakpoint
CREATE TABLE "automation_sends" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"automation" "automation_kind" NOT NULL,
	"customer_id" uuid NOT NULL,
	"period_key" text NOT NULL,
	"email_message_id" uuid,
	"sent_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "marketing_automations" (
	"kind" "automation_kind" PRIMARY KEY NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"enabled_at" timestamp with time zone,
	"days_before" integer DEFAULT 7 NOT NULL,
	"inactivity_days" integer DEFAULT 90 NOT NULL,
	"cooldown_days" integer DEFAULT 180 NOT NULL,
	"subject" text NOT NULL,
	"preheader" text DEFAULT '' NOT NULL,
	"body_markdown" text DEFAULT '' NOT NULL,
	"last_run_at" timestamp with time zone,
	"updated_by_staff_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "marketing_automations_days_before" CHECK ("marketing_automations"."days_before" between 0 and 60),
	CONSTRAINT "marketing_automations_inactivity" CHECK ("marketing_automations"."inactivity_days" between 14 and 1095),
	CONSTRAINT "marketing_automations_cooldown" CHECK ("marketing_automations"."cooldown_days" between 7 and 1095),
	CONSTRAINT "marketing_automations_enabled_has_time" CHECK (not "marketing_automations"."enabled" or "marketing_automations"."enabled_at" is not null)
);
--> statement-breakpoint
ALTER TABLE "automation_sends" ADD CONSTRAINT "automation_sends_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "automation_sends" ADD CONSTRAINT "automation_sends_email_message_id_email_messages_id_fk" FOREIGN KEY ("email_message_id") REFERENCES "public"."email_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "marketing_automations" ADD CONSTRAINT "marketing_automations_updated_by_staff_id_staff_users_id_fk" FOREIGN KEY ("updated_by_staff_id") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "automation_sends_period_key" ON "automation_sends" USING btree ("automation","customer_id","period_key");--> statement-breakpoint
CREATE INDEX "automation_sends_log_idx" ON "automation_sends" USING btree ("automation","sent_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
-- The three automations exist from the start, switched OFF, each with a default template that
-- staff edit on Marketing → Automations.
INSERT INTO "marketing_automations" ("kind", "days_before", "inactivity_days", "cooldown_days", "subject", "preheader", "body_markdown") VALUES
('BIRTHDAY', 7, 90, 180,
 'A birthday is coming up, {{firstName}}!',
 'Celebrate with us: double points all birthday month',
 E'## Happy birthday soon, {{firstName}}!\n\nYour birthday is just around the corner and we would love to celebrate with you.\n\nEvery booking in your birthday month earns **double points**, so it is the perfect time for a party at Xplorium.\n\nYou have **{{points}} points** right now ({{tier}}).\n\nSee you soon!'),
('WIN_BACK', 7, 90, 180,
 'We miss you, {{firstName}}',
 'Your points are waiting for you at Xplorium',
 E'## It has been a while, {{firstName}}\n\nWe have not seen you at Xplorium for some time, and the playground is not the same without you.\n\nYou still have **{{points}} points** to spend on rewards, from a free drink to a private event hour.\n\nCome and play again soon!'),
('TIER_UPGRADE', 7, 90, 180,
 'Congratulations, you are now {{tier}}!',
 'Thank you for playing with us',
 E'## Welcome to {{tier}}, {{firstName}}!\n\nThank you for all your visits: you have moved up to the **{{tier}}** tier of Xplorium Rewards.\n\nYou have **{{points}} points** to spend on rewards right now.\n\nSee you soon!');
