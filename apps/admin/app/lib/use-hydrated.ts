import { useEffect, useState } from "react";

let hydrated = false;

/**
 * False during server rendering and the first client render, true after: for what can only be
 * drawn in the browser (charts that measure their container).
 */
export function useHydrated(): boolean {
  const [ready, setReady] = useState(hydrated);
  useEffect(() => {
    hydrated = true;
    setReady(true);
  }, []);
  return ready;
}
