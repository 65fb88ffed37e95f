CREATE TABLE "loyalty_settings" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"points_expiry_enabled_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "loyalty_settings_singleton" CHECK ("loyalty_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "points_expiry_notices" (
	"customer_id" uuid NOT NULL,
	"due_on" date NOT NULL,
	"expires_on" date NOT NULL,
	"points" integer NOT NULL,
	"email_message_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "points_expiry_notices_customer_id_due_on_pk" PRIMARY KEY("customer_id","due_on"),
	CONSTRAINT "points_expiry_notices_not_early" CHECK ("points_expiry_notices"."expires_on" >= "points_expiry_notices"."due_on")
);
--> statement-breakpoint
ALTER TABLE "points_expiry_notices" ADD CONSTRAINT "points_expiry_notices_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_expiry_notices" ADD CONSTRAINT "points_expiry_notices_email_message_id_email_messages_id_fk" FOREIGN KEY ("email_message_id") REFERENCES "public"."email_messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "points_expiry_notices_expires_idx" ON "points_expiry_notices" USING btree ("expires_on");