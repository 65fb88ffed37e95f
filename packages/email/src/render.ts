import { render } from "@react-email/render";
import { createElement } from "react";
import { type TemplateDef, type TemplateName, type TemplateProps, templates } from "./templates";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/**
 * React 18's streaming renderer sometimes leaves NUL characters at a chunk boundary (seen in
 * <Preview>'s padding at some preview lengths; resend/react-email#1870, #1773). NUL is not
 * legal in HTML (Gmail truncates the message there) and PostgreSQL refuses it in text, which
 * would roll back whatever queued the email. It is never meant to be there, so it goes.
 */
export const withoutNul = (s: string) => s.replaceAll("\u0000", "");

export async function renderEmail<N extends TemplateName>(
  name: N,
  props: TemplateProps<N>,
): Promise<RenderedEmail> {
  // Indexing the map gives a union of definitions; this ties the name back to its props.
  const def = templates[name] as TemplateDef<TemplateProps<N>>;
  const element = createElement(def.component, props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: def.subject(props), html: withoutNul(html), text: withoutNul(text) };
}
