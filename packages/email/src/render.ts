import { render } from "@react-email/render";
import { createElement } from "react";
import { type TemplateDef, type TemplateName, type TemplateProps, templates } from "./templates";

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export async function renderEmail<N extends TemplateName>(
  name: N,
  props: TemplateProps<N>,
): Promise<RenderedEmail> {
  // Indexing the map gives a union of definitions; this ties the name back to its props.
  const def = templates[name] as TemplateDef<TemplateProps<N>>;
  const element = createElement(def.component, props);
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: def.subject(props), html, text };
}
