import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { auditRouter } from "./routers/audit";
import { authRouter } from "./routers/auth";
import { consentRouter } from "./routers/consent";
import { customersRouter } from "./routers/customers";
import { outboxRouter } from "./routers/outbox";
import { portalRouter } from "./routers/portal";
import { staffRouter } from "./routers/staff";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  audit: auditRouter,
  auth: authRouter,
  customers: customersRouter,
  staff: staffRouter,
  portal: portalRouter,
  outbox: outboxRouter,
  consent: consentRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
