import { useRevalidator } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { trpc } from "@xplorium/api/client";
import { Alert, Button, formatDate, formatNumber } from "@xplorium/ui";
import { Toast, type ToastMessage } from "@xplorium/ui/remix";
import { useEffect, useRef, useState } from "react";

type Run = NonNullable<RouterOutputs["customers"]["syncStatus"]>;

const STEP: Record<Run["step"], string> = {
  queued: "Waiting for the worker",
  counting: "Counting bookings without a customer",
  syncing: "Syncing",
  done: "Done",
  failed: "Failed",
};

const isActive = (run: Run | null | undefined) =>
  run?.status === "QUEUED" || run?.status === "RUNNING";

function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function summary(r: NonNullable<Run["result"]>): string {
  const counts = `${formatNumber(r.created)} created, ${formatNumber(r.updated)} updated, ${formatNumber(r.linked)} bookings linked`;
  if (!r.unlinked) return counts;
  return `${counts}; ${formatNumber(r.unlinked)} bookings left without a customer (${formatNumber(r.suppressed)} suppressed, the rest without a usable email)`;
}

function describe(run: Run | null | undefined): string {
  if (!run) {
    return "Creates customers from bookings that have none yet and recomputes everyone's booking stats.";
  }
  if (isActive(run)) {
    const parts = [STEP[run.step]];
    if (run.unlinkedBookings !== null) {
      parts.push(`${formatNumber(run.unlinkedBookings)} bookings without a customer`);
    }
    parts.push(formatElapsed(run.elapsedMs));
    return `${parts.join(" · ")}…`;
  }
  const when = formatDate(run.finishedAt ?? run.createdAt, { time: true });
  if (run.status === "FAILED") return `The last sync (${when}) failed. ${run.error ?? ""}`;
  return `Last sync ${when}${run.requestedBy ? ` by ${run.requestedBy}` : ""}: ${run.result ? summary(run.result) : "done"}.`;
}

/**
 * "Sync from bookings" on the customers page: starts the job, polls its status every second
 * while it is queued or running, then says what it did and reloads the list.
 */
export function SyncFromBookings() {
  const { revalidate } = useRevalidator();
  const utils = trpc.useUtils();
  const status = trpc.customers.syncStatus.useQuery(
    {},
    { staleTime: 0, refetchInterval: (query) => (isActive(query.state.data) ? 1000 : false) },
  );
  const start = trpc.customers.syncFromBookings.useMutation({
    onSuccess: ({ run }) => utils.customers.syncStatus.setData({}, run),
  });
  const [toast, setToast] = useState<ToastMessage | null>(null);
  // The run this tab saw queued or running, so its end is announced once.
  const watching = useRef<string | null>(null);
  const run = status.data;

  useEffect(() => {
    if (!run) return;
    if (isActive(run)) {
      watching.current = run.id;
      return;
    }
    if (watching.current !== run.id) return;
    watching.current = null;
    if (run.status === "SUCCEEDED") {
      setToast({
        id: run.id,
        tone: "success",
        text: run.result ? `Sync finished: ${summary(run.result)}.` : "Sync finished.",
      });
      revalidate();
    } else {
      setToast({ id: run.id, tone: "error", text: run.error ?? "The sync failed." });
    }
  }, [run, revalidate]);

  const running = isActive(run);
  return (
    <div className="mb-4 space-y-2" data-testid="sync-from-bookings">
      <div className="flex flex-wrap items-center gap-3 rounded-2xl border border-stone-200 bg-white px-4 py-3 shadow-sm">
        <Button
          type="button"
          variant="secondary"
          busy={start.isPending || running}
          onClick={() => start.mutate()}
        >
          {running ? "Syncing…" : "Sync from bookings"}
        </Button>
        <p aria-live="polite" className="text-sm text-stone-600" data-testid="sync-status">
          {status.isLoading ? "" : describe(run)}
        </p>
      </div>
      {start.error ? <Alert tone="error">{start.error.message}</Alert> : null}
      {status.error ? (
        <Alert tone="error">Could not load the sync status: {status.error.message}</Alert>
      ) : null}
      <Toast message={toast} />
    </div>
  );
}
