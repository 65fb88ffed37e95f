import { render } from "@react-email/render";
import { EmailLayout } from "@xplorium/email/templates";
import { createElement } from "react";
import { describe, expect, it } from "vitest";

describe("EmailLayout", () => {
  it("ends marketing mail with the unsubscribe link, and transactional mail without one", async () => {
    const url = "https://portal.test/unsubscribe/abc.email.sig";
    const marketing = await render(
      createElement(EmailLayout, { preview: "News", unsubscribeUrl: url, children: "Hello" }),
    );
    expect(marketing).toContain(`href="${url}"`);
    expect(marketing).toContain("Unsubscribe");
    const plain = await render(createElement(EmailLayout, { preview: "Code", children: "Hello" }));
    expect(plain).not.toContain("Unsubscribe");
  });
});
