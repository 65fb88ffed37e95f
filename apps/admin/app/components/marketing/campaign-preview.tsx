import { trpc } from "@xplorium/api/client";
import { Alert, Button, TextField } from "@xplorium/ui";
import { useState } from "react";
import { useDebounced } from "~/lib/use-debounced";

export interface CampaignMessage {
  subject: string;
  preheader: string;
  bodyMarkdown: string;
}

export interface PreviewCustomer {
  id: string;
  email: string | null;
  name: string | null;
}

/**
 * The email as rendered by the server (the same render and personalisation as a real send),
 * re-requested 400 ms after the author stops typing. Unknown merge tags come back as field
 * errors for the editor to show inline.
 */
export function useCampaignPreview(message: CampaignMessage, customerId: string | null) {
  const key = useDebounced(JSON.stringify({ ...message, customerId }), 400);
  const settled = JSON.parse(key) as CampaignMessage & { customerId: string | null };
  return trpc.campaigns.preview.useQuery(
    {
      subject: settled.subject,
      preheader: settled.preheader,
      bodyMarkdown: settled.bodyMarkdown,
      ...(settled.customerId ? { customerId: settled.customerId } : {}),
    },
    { placeholderData: (prev) => prev, retry: false, staleTime: 60_000 },
  );
}

/** Search customers by email or name and pick one whose values fill the merge tags. */
export function CustomerPicker({
  value,
  onChange,
}: {
  value: PreviewCustomer | null;
  onChange: (customer: PreviewCustomer | null) => void;
}) {
  const [q, setQ] = useState("");
  const search = useDebounced(q.trim(), 300);
  const results = trpc.customers.list.useQuery(
    { q: search, limit: 6, withTotal: false },
    { enabled: search.length >= 2, retry: false },
  );
  if (value) {
    return (
      <div className="flex flex-wrap items-center gap-2 text-sm" data-testid="preview-customer">
        <span className="text-stone-600">
          Previewing as <strong className="text-stone-900">{value.name ?? value.email}</strong>
          {value.name ? ` (${value.email})` : ""}
        </span>
        <Button type="button" variant="ghost" className="px-2 py-1" onClick={() => onChange(null)}>
          Use sample values
        </Button>
      </div>
    );
  }
  return (
    <div className="space-y-2">
      <TextField
        label="Preview as a customer"
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Search by email or name"
        hint="Without one, the sample values are used (Ana, 1,250 points, Silver)."
        autoComplete="off"
      />
      {search.length >= 2 && results.data ? (
        results.data.items.length === 0 ? (
          <p className="text-sm text-stone-500">Nobody matches “{search}”.</p>
        ) : (
          <ul className="divide-y divide-stone-100 rounded-lg border border-stone-200">
            {results.data.items.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="w-full px-3 py-2 text-left text-sm hover:bg-stone-50"
                  onClick={() => {
                    onChange({ id: c.id, email: c.email, name: c.name });
                    setQ("");
                  }}
                >
                  <span className="font-medium text-stone-900">{c.name ?? c.email}</span>
                  <span className="block text-stone-500 text-xs">{c.email}</span>
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}

/** The preview in a sandboxed frame: no scripts, no same-origin access, no navigation out. */
export function CampaignPreviewFrame({
  preview,
}: {
  preview: ReturnType<typeof useCampaignPreview>;
}) {
  if (preview.error) return <Alert tone="error">{preview.error.message}</Alert>;
  return (
    <div className="space-y-2">
      <p className="text-sm">
        <span className="text-stone-500">Subject: </span>
        <span className="font-medium text-stone-900" data-testid="preview-subject">
          {preview.data?.subject ?? "…"}
        </span>
      </p>
      <iframe
        title="Email preview"
        sandbox=""
        srcDoc={preview.data?.html ?? ""}
        className="h-[36rem] w-full rounded-lg border border-stone-200 bg-white"
      />
    </div>
  );
}
