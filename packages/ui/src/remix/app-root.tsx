import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import type { ComponentType, ReactNode } from "react";
import { setDisplayTimeZone } from "../format";
import { Document } from "./document";
import { ErrorPage } from "./error-page";

/** The root loader's data: the configured display zone (structural: ui reads no config). */
function loader({ context }: LoaderFunctionArgs) {
  return { timeZone: (context as { env: { TIME_ZONE: string } }).env.TIME_ZONE };
}

/**
 * Both apps' root route module: the app's stylesheet and the favicon, the page title, the
 * document shell, the calm error page, and the display time zone set from configuration before
 * anything is formatted. The app passes its tRPC provider (ui does not depend on the API).
 */
export function appRoot(options: {
  styles: string;
  title: string;
  provider: ComponentType<{ children: ReactNode }>;
}) {
  const Provider = options.provider;
  const links: LinksFunction = () => [
    { rel: "stylesheet", href: options.styles },
    { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  ];
  const meta: MetaFunction = () => [{ title: options.title }];
  function App() {
    // Idempotent: the same configured zone on the server and in the browser.
    setDisplayTimeZone(useLoaderData<typeof loader>().timeZone);
    return (
      <Provider>
        <Outlet />
      </Provider>
    );
  }
  return { links, meta, loader, Layout: Document, ErrorBoundary: ErrorPage, App };
}
