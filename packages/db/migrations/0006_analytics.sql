CREATE TYPE "public"."churn_level" AS ENUM('NO_VISITS', 'UPCOMING', 'UNKNOWN', 'ON_RHYTHM', 'DUE', 'LIKELY', 'LAPSED');--> statement-breakpoint
CREATE TYPE "public"."rfm_segment" AS ENUM('CHAMPIONS', 'LOYAL', 'PROMISING', 'NEW', 'NEEDS_ATTENTION', 'AT_RISK', 'CANT_LOSE', 'HIBERNATING', 'LOST');--> statement-breakpoint
CREATE TABLE "analytics_daily" (
	"metric" text NOT NULL,
	"dim" text DEFAULT '' NOT NULL,
	"day" date NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "analytics_daily_metric_dim_day_pk" PRIMARY KEY("metric","dim","day")
);
--> statement-breakpoint
CREATE TABLE "analytics_range_counts" (
	"as_of" timestamp with time zone NOT NULL,
	"range_from" date NOT NULL,
	"range_to" date NOT NULL,
	"counts" jsonb NOT NULL,
	CONSTRAINT "analytics_range_counts_as_of_range_from_range_to_pk" PRIMARY KEY("as_of","range_from","range_to")
);
--> statement-breakpoint
CREATE TABLE "analytics_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"as_of" timestamp with time zone NOT NULL,
	"as_of_day" date NOT NULL,
	"time_zone" text NOT NULL,
	"venue_gap_days" numeric(8, 1),
	"summary" jsonb NOT NULL,
	"duration_ms" integer NOT NULL,
	"refreshed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "analytics_state_singleton" CHECK ("analytics_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "customer_analytics" (
	"customer_id" uuid PRIMARY KEY NOT NULL,
	"acquired_on" date NOT NULL,
	"visits" integer DEFAULT 0 NOT NULL,
	"visit_days" datemultirange DEFAULT '{}' NOT NULL,
	"first_visit_on" date,
	"last_visit_on" date,
	"completed_visits" integer DEFAULT 0 NOT NULL,
	"spent" bigint DEFAULT 0 NOT NULL,
	"first_paid_on" date,
	"gap_count" integer DEFAULT 0 NOT NULL,
	"median_gap_days" numeric(8, 1),
	"next_booking_at" timestamp with time zone,
	"recency_score" smallint,
	"frequency_score" smallint,
	"monetary_score" smallint,
	"rfm_segment" "rfm_segment",
	"rhythm_days" numeric(8, 1),
	"churn_score" numeric(10, 2),
	"churn_level" "churn_level" NOT NULL,
	"loyalty_tier" "loyalty_tier" NOT NULL,
	"loyalty_points" integer NOT NULL,
	"email_opt_in" boolean NOT NULL,
	"sms_opt_in" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_analytics_scores" CHECK ("customer_analytics"."recency_score" between 1 and 5 and "customer_analytics"."frequency_score" between 1 and 5 and "customer_analytics"."monetary_score" between 1 and 5
        or ("customer_analytics"."recency_score" is null and "customer_analytics"."frequency_score" is null and "customer_analytics"."monetary_score" is null))
);
--> statement-breakpoint
CREATE INDEX "customer_analytics_rfm_idx" ON "customer_analytics" USING btree ("rfm_segment");--> statement-breakpoint
CREATE INDEX "customer_analytics_likely_idx" ON "customer_analytics" USING btree ("churn_score" DESC NULLS LAST,"customer_id" DESC NULLS LAST) WHERE "customer_analytics"."churn_level" = 'LIKELY';