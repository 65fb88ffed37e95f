import { Button } from "@xplorium/ui";
import { useId } from "react";
import { useCopy } from "~/lib/use-copy";

/**
 * The ten recovery codes, shown once (after setup or after making new ones): a list to write
 * down, a text file to download, a copy button. Only SHA-256 of each is kept on the server.
 */
export function RecoveryCodes({ codes, email }: { codes: string[]; email: string }) {
  const id = useId();
  const [copied, copyText] = useCopy();
  const text = [
    `Xplorium CRM recovery codes for ${email}`,
    "Each code works once, in place of the code from your authenticator app.",
    "",
    ...codes,
    "",
  ].join("\n");
  const copy = () => copyText(codes.join("\n"));
  return (
    <section
      aria-labelledby={`${id}-title`}
      className="rounded-2xl border border-amber-300 bg-amber-50 p-5"
      data-testid="recovery-codes"
    >
      <h2 id={`${id}-title`} className="font-semibold text-amber-950">
        Save your recovery codes now
      </h2>
      <p className="mt-1 text-amber-900 text-sm">
        If you lose your phone, each of these codes signs you in once instead of the app's code.
        Keep them somewhere safe (a password manager, or printed). You will not see them again.
      </p>
      <ol className="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 font-mono text-sm text-stone-900 sm:grid-cols-5">
        {codes.map((code) => (
          <li key={code} data-testid="recovery-code">
            {code}
          </li>
        ))}
      </ol>
      <div className="mt-4 flex flex-wrap items-center gap-3">
        <a
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`}
          download="xplorium-recovery-codes.txt"
          className="inline-flex items-center rounded-lg bg-white px-4 py-2 font-semibold text-sm text-stone-800 ring-1 ring-stone-300 hover:bg-stone-100"
        >
          Download as a text file
        </a>
        <Button type="button" variant="secondary" onClick={copy}>
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
        <span aria-live="polite" className="text-amber-900 text-xs">
          {copied === "no" ? "Copying is blocked here; select the codes and press Ctrl+C." : ""}
        </span>
      </div>
    </section>
  );
}
