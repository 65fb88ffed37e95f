import { useEffect, useState } from "react";
import { cn } from "../cn";

export interface ToastMessage {
  id: string;
  tone: "success" | "error";
  text: string;
}

/** Shows the latest action outcome for a few seconds in a polite live region. */
export function Toast({ message }: { message: ToastMessage | null | undefined }) {
  const [visible, setVisible] = useState<ToastMessage | null>(null);
  useEffect(() => {
    if (!message) return;
    setVisible(message);
    const timer = setTimeout(() => setVisible(null), 4000);
    return () => clearTimeout(timer);
  }, [message]);
  return (
    <div aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-50">
      {visible ? (
        <div
          role="status"
          className={cn(
            "pointer-events-auto rounded-xl px-4 py-3 text-sm font-medium text-white shadow-lg",
            visible.tone === "success" ? "bg-brand-700" : "bg-red-600",
          )}
        >
          {visible.text}
        </div>
      ) : null}
    </div>
  );
}
