import { cn } from "./cn";

const SIZE = {
  sm: { track: "h-6 w-11", on: "translate-x-5", off: "translate-x-0.5" },
  md: { track: "h-7 w-12", on: "translate-x-6", off: "translate-x-1" },
} as const;

/**
 * An on/off switch that submits its form (no JavaScript needed): a submit button with
 * role="switch". The form's hidden fields say what pressing it asks for; `trackClassName` colours
 * a state the switch shows beyond on and off (awaiting a confirmation, say).
 */
export function SubmitSwitch({
  on,
  label,
  describedBy,
  disabled,
  title,
  size = "sm",
  trackClassName,
  className,
}: {
  on: boolean;
  label: string;
  describedBy?: string;
  disabled?: boolean;
  title?: string;
  size?: keyof typeof SIZE;
  trackClassName?: string;
  className?: string;
}) {
  const s = SIZE[size];
  return (
    <button
      type="submit"
      role="switch"
      aria-checked={on}
      aria-label={label}
      aria-describedby={describedBy}
      disabled={disabled}
      title={title}
      className={cn(
        "relative inline-flex shrink-0 items-center rounded-full transition focus-visible:outline-2 focus-visible:outline-brand-700 focus-visible:outline-offset-2 disabled:opacity-60",
        s.track,
        trackClassName ?? (on ? "bg-brand-700" : "bg-stone-300"),
        className,
      )}
    >
      <span
        aria-hidden="true"
        className={cn(
          "inline-block size-5 rounded-full bg-white shadow transition",
          on ? s.on : s.off,
        )}
      />
    </button>
  );
}
