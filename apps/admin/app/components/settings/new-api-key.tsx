import { Button } from "@xplorium/ui";
import { useId, useRef } from "react";
import { useCopy } from "~/lib/use-copy";

/** The new key in a read-only box with a copy button; it is never shown again. */
export function NewKey({ name, value }: { name: string; value: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, copyText] = useCopy();
  // Selected too: where the clipboard is blocked, Ctrl+C copies it.
  const copy = () => {
    input.current?.select();
    return copyText(value);
  };
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="mb-6 rounded-2xl border border-amber-300 bg-amber-50 p-5"
      data-testid="new-api-key"
    >
      <h2 id={`${id}-title`} className="font-semibold text-amber-950">
        Copy the key for “{name}” now
      </h2>
      <p className="mt-1 text-amber-900 text-sm">
        You will not see this key again: only its first characters are kept. If it is lost, revoke
        it and create a new one.
      </p>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <label htmlFor={id} className="sr-only">
          New API key
        </label>
        <input
          ref={input}
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-0 flex-1 rounded-lg border border-amber-300 bg-white px-3 py-2 font-mono text-sm"
        />
        <Button type="button" variant="secondary" onClick={copy}>
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
      </div>
      <p aria-live="polite" className="mt-1 text-amber-900 text-xs">
        {copied === "no" ? "Copying is blocked here; the key is selected, press Ctrl+C." : ""}
      </p>
      <p className="mt-2 text-amber-900 text-xs">
        The booking site sends it as{" "}
        <code className="font-mono">Authorization: Bearer {"<key>"}</code>.
      </p>
    </section>
  );
}
