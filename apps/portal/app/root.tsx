import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { TrpcProvider } from "@xplorium/api/client";
import { setDisplayTimeZone } from "@xplorium/ui";
import { Document, ErrorPage } from "@xplorium/ui/remix";
import styles from "./styles.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Xplorium — my family account" }];

export const Layout = Document;

export function loader({ context }: LoaderFunctionArgs) {
  return { timeZone: context.env.TIME_ZONE };
}

export default function App() {
  // Idempotent: the same configured zone on the server and in the browser.
  setDisplayTimeZone(useLoaderData<typeof loader>().timeZone);
  return (
    <TrpcProvider>
      <Outlet />
    </TrpcProvider>
  );
}

export const ErrorBoundary = ErrorPage;
