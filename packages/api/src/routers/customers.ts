import { consentHistory, setConsentByStaff } from "@xplorium/core/consent";
import {
  changeTag,
  countCustomers,
  customerById,
  customerFilterInput,
  customerListInput,
  customerSyncStatus,
  customerTimeline,
  customerTimelineInput,
  customerUpdateInput,
  customerUpsertInput,
  duplicateSuggestions,
  listCustomers,
  mergeCustomers,
  mergeCustomersInput,
  mergePreview,
  mergePreviewInput,
  setCustomerNotes,
  startCustomerSync,
  tagSchema,
  tagSuggestions,
  updateCustomer,
  upsertCustomer,
} from "@xplorium/core/customers";
import { CONSENT_CHANNELS } from "@xplorium/domain";
import { z } from "zod";
import { createTRPCRouter, recentPasswordStaffProcedure, staffProcedure } from "../trpc";
import { customerPrivacyProcedures } from "./customer-privacy";

const customerId = z.uuid({ message: "Unknown customer." });

export const customersRouter = createTRPCRouter({
  /** Search, filters, sort and keyset pagination over non-erased customers, with the total. */
  list: staffProcedure("read:customer")
    .input(customerListInput)
    .query(({ ctx, input }) => listCustomers(ctx.deps, input)),

  /** How many customers the list's search and filters match (the list streams it in). */
  count: staffProcedure("read:customer")
    .input(customerFilterInput)
    .query(({ ctx, input }) => countCustomers(ctx.deps, input)),

  byId: staffProcedure("read:customer")
    .input(z.object({ id: z.uuid({ message: "Unknown customer." }) }))
    .query(({ ctx, input }) => customerById(ctx.deps, input)),

  addTag: staffProcedure("write:customer")
    .input(z.object({ customerId, tag: tagSchema }))
    .mutation(({ ctx, input }) => changeTag(ctx.deps, { ...input, op: "add" })),

  removeTag: staffProcedure("write:customer")
    .input(z.object({ customerId, tag: tagSchema }))
    .mutation(({ ctx, input }) => changeTag(ctx.deps, { ...input, op: "remove" })),

  setNotes: staffProcedure("write:customer")
    .input(
      z.object({
        customerId,
        notes: z.string().max(5000, { message: "Notes are at most 5,000 characters." }),
      }),
    )
    .mutation(({ ctx, input }) => setCustomerNotes(ctx.deps, input)),

  /** The seed's upsertCustomer: create, or update the customer that email (or alias) belongs to. */
  upsert: staffProcedure("write:customer")
    .input(customerUpsertInput)
    .mutation(({ ctx, input }) => upsertCustomer(ctx.deps, input)),

  update: staffProcedure("write:customer")
    .input(customerUpdateInput)
    .mutation(({ ctx, input }) => updateCustomer(ctx.deps, input)),

  /** Bookings, points, tier, consent, emails and notes, newest first, keyset-paginated. */
  timeline: staffProcedure("read:customer")
    .input(customerTimelineInput)
    .query(({ ctx, input }) => customerTimeline(ctx.deps, input)),

  tagSuggestions: staffProcedure("read:customer")
    .input(z.object({ prefix: z.string().trim().toLowerCase().max(40).default("") }))
    .query(({ ctx, input }) => tagSuggestions(ctx.deps, input)),

  /** Marketing consent by staff: a grant waits for the customer's emailed confirmation. */
  setConsent: staffProcedure("write:customer")
    .input(
      z.object({
        customerId,
        channel: z.enum(CONSENT_CHANNELS, { message: "Choose email or SMS." }),
        granted: z.boolean({ message: "Choose on or off." }),
      }),
    )
    .mutation(({ ctx, input }) => setConsentByStaff(ctx.deps, input)),

  consentHistory: staffProcedure("read:customer")
    .input(z.object({ customerId }))
    .query(({ ctx, input }) => consentHistory(ctx.deps, input)),
  /**
   * Queues a sync from bookings (a job); returns the run to poll with syncStatus. While one is
   * queued or running, returns that one instead (`started: false`).
   */
  syncFromBookings: staffProcedure("sync:booking").mutation(({ ctx }) =>
    startCustomerSync(ctx.deps),
  ),

  /**
   * A sync run by id, or the latest (null if none). `read:customer`: every role with
   * `sync:booking` has it, so this is "read:customer or sync:booking".
   */
  syncStatus: staffProcedure("read:customer")
    .input(z.object({ id: z.uuid({ message: "Unknown sync run." }).optional() }).default({}))
    .query(({ ctx, input }) => customerSyncStatus(ctx.deps, input)),
  /** Possible duplicates of one customer (same phone, same name, look-alike email). */
  duplicates: staffProcedure("read:customer")
    .input(z.object({ customerId }))
    .query(({ ctx, input }) => duplicateSuggestions(ctx.deps, input)),

  /** Two records side by side and the customer a merge would leave. */
  mergePreview: staffProcedure("merge:customer")
    .input(mergePreviewInput)
    .query(({ ctx, input }) => mergePreview(ctx.deps, input)),

  /**
   * Merges `mergedId` into `survivorId` in one transaction; the old email becomes an alias.
   * Owner-level: the password must have been entered recently (reauth.ts).
   */
  merge: recentPasswordStaffProcedure("merge:customer")
    .input(mergeCustomersInput)
    .mutation(({ ctx, input }) => mergeCustomers(ctx.deps, input)),

  /** GDPR export and erasure by staff (export:personal-data, erase:customer). */
  ...customerPrivacyProcedures,
});
