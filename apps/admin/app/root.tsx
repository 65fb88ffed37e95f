import { TrpcProvider } from "@xplorium/api/client";
import { appRoot } from "@xplorium/ui/remix";
import styles from "./styles.css?url";

const root = appRoot({ styles, title: "Xplorium CRM", provider: TrpcProvider });
export const { links, meta, loader, Layout, ErrorBoundary } = root;
export default root.App;
