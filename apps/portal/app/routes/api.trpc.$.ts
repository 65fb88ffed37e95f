import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleTrpc } from "~/lib/api.server";

// The shared tRPC router over HTTP, for react-query widgets.
export const loader = ({ request, context }: LoaderFunctionArgs) => handleTrpc(request, context);
export const action = ({ request, context }: ActionFunctionArgs) => handleTrpc(request, context);
