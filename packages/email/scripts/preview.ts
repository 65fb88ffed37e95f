import { createServer } from "node:http";
import { renderEmail } from "../src/render";
import { type TemplateName, templates } from "../src/templates";

// A tiny preview server: every template rendered with its sample props.
const port = Number(process.argv[2] ?? 3002);
const names = Object.keys(templates) as TemplateName[];

createServer(async (req, res) => {
  const name = decodeURIComponent((req.url ?? "/").slice(1)) as TemplateName;
  if (names.includes(name)) {
    const email = await renderEmail(name, templates[name].sample);
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(email.html);
    return;
  }
  res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
  res.end(
    `<h1>Xplorium emails</h1><ul>${names
      .map((n) => `<li><a href="/${n}">${n}</a> (${templates[n].kind.toLowerCase()})</li>`)
      .join("")}</ul>`,
  );
}).listen(port, () => console.log(`Email preview on http://localhost:${port}`));
