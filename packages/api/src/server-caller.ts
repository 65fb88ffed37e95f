import { type CreateContextInput, createContext } from "./context";
import { createCaller } from "./root";

/**
 * For Remix loaders and actions: the same router, called in-process with the request's
 * session. Return `headers` with the response so Set-Cookie reaches the browser.
 */
export async function serverCaller(input: Omit<CreateContextInput, "resHeaders">) {
  const headers = new Headers();
  const ctx = await createContext({ ...input, resHeaders: headers });
  return { api: createCaller(ctx), headers, principal: ctx.principal };
}
