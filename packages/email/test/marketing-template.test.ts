import { describe, expect, it } from "vitest";
import {
  markdownToEmailHtml,
  personalize,
  renderMarketingTemplate,
  unknownMergeTags,
} from "../src/marketing";

const values = {
  firstName: "Ana",
  points: "1,250",
  tier: "Silver",
  pointsToNextTier: "1,750",
  unsubscribeUrl: "http://localhost:3001/unsubscribe/abc.email.mac?x=1&y=2",
};

describe("marketing email template", () => {
  it("renders once and personalises each recipient, escaping values in the HTML", async () => {
    const template = await renderMarketingTemplate({
      subject: "{{firstName}}, you have {{points}} points",
      preheader: "Only {{pointsToNextTier}} to go",
      bodyMarkdown:
        "# Hi {{ firstName }}!\n\nYou are **{{tier}}**. [Book now](https://example.com/book)",
    });
    expect(template.html).toContain("{{tier}}");
    const mail = personalize(template, values);
    expect(mail.subject).toBe("Ana, you have 1,250 points");
    expect(mail.html).toContain("Hi Ana!");
    expect(mail.html).toContain("<strong>Silver</strong>");
    expect(mail.html).toContain("Only 1,750 to go");
    expect(mail.html).toContain('href="https://example.com/book"');
    // The unsubscribe footer links to this recipient's URL, attribute-escaped.
    expect(mail.html).toContain(
      'href="http://localhost:3001/unsubscribe/abc.email.mac?x=1&amp;y=2"',
    );
    expect(mail.text).toContain("Hi Ana!");
    expect(mail.text).toContain(values.unsubscribeUrl);
    expect(mail.html).not.toMatch(/\{\{/);
    expect(mail.text).not.toMatch(/\{\{/);

    const hostile = personalize(template, {
      ...values,
      firstName: '<img src=x onerror="alert(1)">\r\nBcc: x@evil.test',
    });
    expect(hostile.html).not.toContain("<img src=x");
    expect(hostile.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(hostile.subject).not.toMatch(/[\r\n]/);
  });

  it("never lets raw HTML or javascript: links through the Markdown", () => {
    const html = markdownToEmailHtml(
      '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick="x">b</b>',
    );
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<b onclick");
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain("&lt;script&gt;");
  });

  it("names merge tags that do not exist", () => {
    expect(
      unknownMergeTags({
        subject: "{{firstName}} {{lastName}}",
        preheader: "{{ points }}",
        bodyMarkdown: "{{tier}} {{pointsToNextTier}} {{coupon}} {{lastName}}",
      }),
    ).toEqual(["{{lastName}}", "{{coupon}}"]);
  });
});
