export { type RenderedEmail, renderEmail } from "./render";
export {
  type DeliverOptions,
  type DeliverOutcome,
  deliverEmail,
  queueEmail,
  SEND_EMAIL_TASK,
} from "./send";
export type { TemplateName, TemplateProps } from "./templates";
export { templates } from "./templates";
export {
  type DeliveryResult,
  type EmailTransport,
  type OutgoingEmail,
  outboxTransport,
  resendTransport,
  transportFor,
} from "./transport";
