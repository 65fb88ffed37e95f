import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { TrpcProvider } from "@xplorium/api/client";
import { Document, ErrorPage } from "@xplorium/ui/remix";
import styles from "./styles.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Xplorium CRM" }];

export const Layout = Document;

export default function App() {
  return (
    <TrpcProvider>
      <Outlet />
    </TrpcProvider>
  );
}

export const ErrorBoundary = ErrorPage;
