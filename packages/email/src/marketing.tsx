import { render } from "@react-email/render";
import { MERGE_TAGS, type MergeTag } from "@xplorium/domain";
import MarkdownIt from "markdown-it";
import { withoutNul } from "./render";
import { brand, EmailLayout } from "./templates/layout";

/**
 * Marketing email (campaigns, automations, test sends): a subject, a preheader and a Markdown
 * body with merge tags, inside the branded layout with the unsubscribe footer.
 *
 * Rendering React for every recipient would cap a campaign at a few hundred emails a second, so
 * the message is rendered ONCE with its merge tags (and the unsubscribe link) left in as
 * `{{tag}}` tokens, and `personalize` fills them in per recipient with plain string
 * substitution, HTML-escaping every value that goes into the HTML.
 */
export type MergeValues = Record<MergeTag, string>;

/** What the layout's unsubscribe link holds until `personalize` puts the recipient's URL in. */
const UNSUBSCRIBE_TOKEN = "{{unsubscribeUrl}}";
const TOKEN = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export interface MarketingMessage {
  subject: string;
  preheader: string;
  bodyMarkdown: string;
}

/** A marketing message rendered once, its merge tags still in as `{{tag}}` tokens. */
export interface MarketingTemplate {
  subject: string;
  html: string;
  text: string;
}

export interface PersonalizedEmail {
  subject: string;
  html: string;
  text: string;
}

/** Merge tags the message uses that do not exist (shown to the author as an error). */
export function unknownMergeTags(message: MarketingMessage): string[] {
  const known = new Set<string>(MERGE_TAGS);
  const found = new Set<string>();
  for (const text of [message.subject, message.preheader, message.bodyMarkdown]) {
    for (const m of text.matchAll(TOKEN)) if (!known.has(m[1]!)) found.add(`{{${m[1]}}}`);
  }
  return [...found];
}

const STYLE: Record<string, string> = {
  paragraph_open: "margin:0 0 14px;font-size:15px;line-height:24px",
  bullet_list_open: "margin:0 0 14px;padding-left:22px;font-size:15px;line-height:24px",
  ordered_list_open: "margin:0 0 14px;padding-left:22px;font-size:15px;line-height:24px",
  blockquote_open: `margin:0 0 14px;padding:4px 14px;border-left:3px solid ${brand.color};color:${brand.muted}`,
  link_open: `color:${brand.color};text-decoration:underline`,
  hr: "border:none;border-top:1px solid #e5e7eb;margin:18px 0",
};
const HEADING_STYLE: Record<string, string> = {
  h1: "margin:0 0 14px;font-size:22px;line-height:30px;font-weight:700",
  h2: "margin:0 0 12px;font-size:19px;line-height:26px;font-weight:700",
  h3: "margin:0 0 10px;font-size:16px;line-height:24px;font-weight:700",
};

/**
 * CommonMark without raw HTML (a `<script>` in the body is shown as text, never run) and with
 * markdown-it's link check (no `javascript:` links); inline styles, since mail clients drop
 * style sheets.
 */
const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });
markdown.core.ruler.push("email_styles", (state) => {
  const walk = (tokens: typeof state.tokens) => {
    for (const token of tokens) {
      const style =
        token.type === "heading_open"
          ? (HEADING_STYLE[token.tag] ?? HEADING_STYLE.h3)
          : STYLE[token.type];
      if (style) token.attrSet("style", style);
      if (token.children) walk(token.children);
    }
  };
  walk(state.tokens);
});

/** The body as email-safe HTML (tokens kept). Exported for the admin's live preview tests. */
export function markdownToEmailHtml(bodyMarkdown: string): string {
  return markdown.render(bodyMarkdown);
}

function MarketingEmail({ message }: { message: MarketingMessage }) {
  return (
    <EmailLayout preview={message.preheader} unsubscribeUrl={UNSUBSCRIBE_TOKEN}>
      <div dangerouslySetInnerHTML={{ __html: markdownToEmailHtml(message.bodyMarkdown) }} />
    </EmailLayout>
  );
}

/**
 * html-to-text upper-cases headings by default, which would turn `{{firstName}}` in a heading
 * into `{{FIRSTNAME}}` (and shout at the reader): keep the author's case.
 */
const PLAIN_TEXT = {
  selectors: ["h1", "h2", "h3", "h4", "h5", "h6"].map((selector) => ({
    selector,
    options: { uppercase: false },
  })),
};

/** Renders the message once; fill it in per recipient with `personalize`. */
export async function renderMarketingTemplate(
  message: MarketingMessage,
): Promise<MarketingTemplate> {
  const element = <MarketingEmail message={message} />;
  const [html, text] = await Promise.all([
    render(element),
    render(element, { plainText: true, htmlToTextOptions: PLAIN_TEXT }),
  ]);
  return { subject: message.subject, html: withoutNul(html), text: withoutNul(text) };
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/**
 * One recipient's email: every token replaced, HTML-escaped in the HTML part. An unknown token
 * (which `unknownMergeTags` keeps authors from saving) becomes empty rather than showing braces.
 */
export function personalize(
  template: MarketingTemplate,
  values: MergeValues & { unsubscribeUrl: string },
): PersonalizedEmail {
  const lookup = values as unknown as Record<string, string>;
  const fill = (s: string, encode: (v: string) => string) =>
    s.replace(TOKEN, (_, tag: string) => encode(lookup[tag] ?? ""));
  const plain = (v: string) => v;
  return {
    // Headers are one line: a line break in a name must not end up in the subject.
    subject: fill(template.subject, (v) => v.replace(/[\r\n]+/g, " ")),
    html: fill(template.html, escapeHtml),
    text: fill(template.text, plain),
  };
}

/** The sample values the editor previews with when no customer is chosen. */
export const SAMPLE_MERGE_VALUES: MergeValues = {
  firstName: "Ana",
  points: "1,250",
  tier: "Silver",
  pointsToNextTier: "1,750",
};
