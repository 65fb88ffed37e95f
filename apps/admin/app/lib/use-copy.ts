import { useState } from "react";

/**
 * Copies text to the clipboard and says how it went: "yes", or "no" where the browser blocks
 * the clipboard (plain HTTP on another host), so the page can say to press Ctrl+C instead.
 */
export function useCopy(): [copied: "yes" | "no" | null, copy: (text: string) => Promise<void>] {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("yes");
    } catch {
      setCopied("no");
    }
  };
  return [copied, copy];
}
