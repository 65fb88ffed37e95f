/**
 * `?next=` values that must never send anyone off the app (issue 14, finding 2), shared by the
 * table test of `safeNext` and the route tests that replay them through the apps' real sign-in,
 * code verification and sign-up actions. Each is refused: the app goes to its default instead.
 */
export const UNSAFE_NEXT: readonly string[] = [
  // Browsers drop TAB, CR and LF inside URLs: these become //evil.example.
  "/\t/evil.example",
  "/\r/evil.example",
  "/\n/evil.example",
  "\t//evil.example",
  "/\r\n/evil.example",
  // Other control characters and whitespace.
  "/\u0000/evil.example",
  "/\u000b/evil.example",
  "/\u007f/evil.example",
  "/\u0085/evil.example",
  " //evil.example",
  "/ /evil.example",
  "/\u00a0/evil.example",
  "/\u2028/evil.example",
  "/\u3000/evil.example",
  // Browsers read a backslash as a slash.
  "\\evil.example",
  "\\\\evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "\\/evil.example",
  // Protocol-relative, also after dot segments.
  "//evil.example",
  "///evil.example",
  "////evil.example/path",
  "/.//evil.example",
  "/..//evil.example",
  "/a/..//evil.example",
  // Percent-encoded forms.
  "/%09/evil.example",
  "/%0d/evil.example",
  "/%0A/evil.example",
  "/%00/evil.example",
  "/%20/evil.example",
  "/%C2%A0/evil.example",
  "/%E2%80%A8/evil.example",
  "/%5Cevil.example",
  "/%5c/evil.example",
  "/%2F%2Fevil.example",
  "/%2f/evil.example",
  "%2F%2Fevil.example",
  "/%E0%A4",
  "/%zz",
  // Other schemes.
  "javascript:alert(1)",
  "JavaScript:alert(document.cookie)",
  "java\tscript:alert(1)",
  " javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "blob:https://evil.example/00000000-0000-0000-0000-000000000000",
  // Absolute URLs to other hosts.
  "https://evil.example/",
  "http://evil.example",
  "https://evil.example/sign-in?next=/",
  "ftp://evil.example/",
  // Very long values.
  `/${"a".repeat(2000)}`,
  `/?q=${"b".repeat(5000)}`,
  `/${"é".repeat(1000)}`,
];

/** Absolute URLs that look like the app's own but are another origin (scheme, port, host). */
export function lookalikeNext(ownOrigin: string): string[] {
  const own = new URL(ownOrigin);
  const otherScheme = own.protocol === "https:" ? "http:" : "https:";
  return [
    `${otherScheme}//${own.host}/`,
    `${own.protocol}//${own.hostname}:4444/`,
    `${own.protocol}//${own.hostname}.evil.example/`,
    `${own.protocol}//${own.host}@evil.example/`,
    `${own.protocol}//evil.example/${own.host}`,
  ];
}

/** `next` values that stay on the app, and the path each becomes. */
export function safeNextCases(ownOrigin: string): [string, string][] {
  const own = new URL(ownOrigin).origin;
  return [
    ["/", "/"],
    ["/rewards?redeem=x", "/rewards?redeem=x"],
    ["/customers/42?tab=loyalty#points", "/customers/42?tab=loyalty#points"],
    ["/customers?q=ana+petrovi%C4%87&sort=name", "/customers?q=ana+petrovi%C4%87&sort=name"],
    ["/a/../history", "/history"],
    [`${own}/history?page=2`, "/history?page=2"],
    [`/${"a".repeat(1999)}`, `/${"a".repeat(1999)}`],
  ];
}
