import { createContext, type ReactNode, useContext } from "react";

const NonceContext = createContext<string>("");

/** The CSP nonce of this request (server render only; browsers hide it afterwards). */
export function NonceProvider({ nonce, children }: { nonce: string; children: ReactNode }) {
  return <NonceContext.Provider value={nonce}>{children}</NonceContext.Provider>;
}

export const useNonce = () => useContext(NonceContext);
