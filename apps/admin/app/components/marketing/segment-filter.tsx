import type { RouterInputs } from "@xplorium/api";
import { TIERS } from "@xplorium/domain";
import {
  formatDate,
  formatMoney,
  formatNumber,
  RFM_SEGMENT_INFO,
  RFM_SEGMENT_ORDER,
  SelectField,
  TextField,
} from "@xplorium/ui";

/** A segment's filter as the builder edits it (the procedures validate it again). */
export type Filter = RouterInputs["segments"]["count"];
type RfmSegment = NonNullable<Filter["rfmSegments"]>[number];

const MONTHS = Array.from({ length: 12 }, (_, i) =>
  new Intl.DateTimeFormat("en-GB", { month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2024, i, 1)),
  ),
);

const tagText = (tags: string[] | undefined) => (tags ?? []).join(", ");
const parseTags = (raw: string) =>
  raw
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);

/** One line a person reads: "GOLD or PLATINUM · tagged party · 5+ bookings". */
export function describeFilter(f: Filter, currency: string): string {
  const parts: string[] = [];
  if (f.tiers?.length) parts.push(f.tiers.join(" or "));
  if (f.tagsAny?.length) parts.push(`tagged ${f.tagsAny.join(" or ")}`);
  if (f.tagsAll?.length) parts.push(`tagged ${f.tagsAll.join(" and ")}`);
  if (f.minBookings !== undefined) parts.push(`${formatNumber(f.minBookings)}+ bookings`);
  if (f.minSpent !== undefined) parts.push(`spent ${formatMoney(f.minSpent, currency)}+`);
  if (f.lastBookingAfter) parts.push(`last booked from ${formatDate(f.lastBookingAfter)}`);
  if (f.lastBookingBefore) parts.push(`last booked before ${formatDate(f.lastBookingBefore)}`);
  if (f.birthdayMonth) parts.push(`birthday in ${MONTHS[f.birthdayMonth - 1]}`);
  if (f.emailOptIn !== undefined) parts.push(f.emailOptIn ? "email opt-in" : "no email opt-in");
  if (f.smsOptIn !== undefined) parts.push(f.smsOptIn ? "SMS opt-in" : "no SMS opt-in");
  if (f.rfmSegments?.length) {
    parts.push(`RFM ${f.rfmSegments.map((s) => RFM_SEGMENT_INFO[s].label).join(" or ")}`);
  }
  if (f.likelyToChurn !== undefined) {
    parts.push(f.likelyToChurn ? "likely to churn" : "not likely to churn");
  }
  return parts.length ? parts.join(" · ") : "Every customer";
}

/** Drops empty fields, so the saved filter holds only what was chosen. */
function clean(f: Filter): Filter {
  return Object.fromEntries(
    Object.entries(f).filter(
      ([, v]) => v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0),
    ),
  ) as Filter;
}

const yesNo = (v: boolean | undefined) => (v === undefined ? "" : v ? "yes" : "no");
const fromYesNo = (v: string) => (v === "" ? undefined : v === "yes");
/** A whole number from a field, or undefined when empty; NaN goes to the server to be worded. */
const whole = (raw: string) => {
  const s = raw.replace(/[\s,]/g, "");
  return s === "" ? undefined : Number(s);
};

/**
 * The builder's fields. Controlled: every change produces the new filter, which the page
 * counts and previews live.
 */
export function SegmentFilterFields({
  filter,
  onChange,
  currency,
  errors,
}: {
  filter: Filter;
  onChange: (f: Filter) => void;
  currency: string;
  errors: Record<string, string[] | null | undefined>;
}) {
  const set = (patch: Partial<Filter>) => onChange(clean({ ...filter, ...patch }));
  return (
    <div className="space-y-4">
      <fieldset>
        <legend className="mb-1 font-medium text-sm text-stone-700">Tiers (any of)</legend>
        <div className="flex flex-wrap gap-3">
          {TIERS.map((tier) => (
            <label key={tier} className="flex items-center gap-1.5 text-sm text-stone-700">
              <input
                type="checkbox"
                className="size-4 rounded border-stone-300"
                checked={filter.tiers?.includes(tier) ?? false}
                onChange={(e) =>
                  set({
                    tiers: e.target.checked
                      ? TIERS.filter((t) => t === tier || filter.tiers?.includes(t))
                      : (filter.tiers ?? []).filter((t) => t !== tier),
                  })
                }
              />
              {tier}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          label="Tagged with any of"
          hint="Comma-separated"
          defaultValue={tagText(filter.tagsAny)}
          onChange={(e) => set({ tagsAny: parseTags(e.target.value) })}
          error={errors.tagsAny}
        />
        <TextField
          label="Tagged with all of"
          hint="Comma-separated"
          defaultValue={tagText(filter.tagsAll)}
          onChange={(e) => set({ tagsAll: parseTags(e.target.value) })}
          error={errors.tagsAll}
        />
        <TextField
          label="At least this many bookings"
          inputMode="numeric"
          defaultValue={filter.minBookings ?? ""}
          onChange={(e) => set({ minBookings: whole(e.target.value) })}
          error={errors.minBookings}
        />
        <TextField
          label={`Spent at least (${currency})`}
          inputMode="decimal"
          defaultValue={filter.minSpent !== undefined ? filter.minSpent / 100 : ""}
          onChange={(e) => {
            const major = e.target.value.replace(/[\s,]/g, "");
            set({ minSpent: major === "" ? undefined : Math.round(Number(major) * 100) });
          }}
          error={errors.minSpent}
        />
        <TextField
          label="Last booking on or after"
          type="date"
          defaultValue={filter.lastBookingAfter ?? ""}
          onChange={(e) => set({ lastBookingAfter: e.target.value || undefined })}
          error={errors.lastBookingAfter}
        />
        <TextField
          label="Last booking before"
          type="date"
          defaultValue={filter.lastBookingBefore ?? ""}
          onChange={(e) => set({ lastBookingBefore: e.target.value || undefined })}
          error={errors.lastBookingBefore}
        />
        <SelectField
          label="Birthday month"
          value={filter.birthdayMonth ? String(filter.birthdayMonth) : ""}
          onChange={(e) =>
            set({ birthdayMonth: e.target.value ? Number(e.target.value) : undefined })
          }
          options={[
            { value: "", label: "Any" },
            ...MONTHS.map((m, i) => ({ value: String(i + 1), label: m })),
          ]}
          error={errors.birthdayMonth}
        />
        <SelectField
          label="Email marketing"
          value={yesNo(filter.emailOptIn)}
          onChange={(e) => set({ emailOptIn: fromYesNo(e.target.value) })}
          options={[
            { value: "", label: "Any" },
            { value: "yes", label: "Opted in" },
            { value: "no", label: "Not opted in" },
          ]}
        />
        <SelectField
          label="SMS"
          value={yesNo(filter.smsOptIn)}
          onChange={(e) => set({ smsOptIn: fromYesNo(e.target.value) })}
          options={[
            { value: "", label: "Any" },
            { value: "yes", label: "Opted in" },
            { value: "no", label: "Not opted in" },
          ]}
        />
        <SelectField
          label="Churn risk"
          hint="Twice as late as their usual rhythm (RFM and churn page)"
          value={yesNo(filter.likelyToChurn)}
          onChange={(e) => set({ likelyToChurn: fromYesNo(e.target.value) })}
          options={[
            { value: "", label: "Any" },
            { value: "yes", label: "Likely to churn" },
            { value: "no", label: "Not likely to churn" },
          ]}
          error={errors.likelyToChurn}
        />
      </div>
      <fieldset>
        <legend className="mb-1 font-medium text-sm text-stone-700">RFM segment (any of)</legend>
        <div className="flex flex-wrap gap-3">
          {(RFM_SEGMENT_ORDER as RfmSegment[]).map((segment) => (
            <label key={segment} className="flex items-center gap-1.5 text-sm text-stone-700">
              <input
                type="checkbox"
                className="size-4 rounded border-stone-300"
                checked={filter.rfmSegments?.includes(segment) ?? false}
                onChange={(e) =>
                  set({
                    rfmSegments: e.target.checked
                      ? (RFM_SEGMENT_ORDER as RfmSegment[]).filter(
                          (s) => s === segment || filter.rfmSegments?.includes(s),
                        )
                      : (filter.rfmSegments ?? []).filter((s) => s !== segment),
                  })
                }
              />
              {RFM_SEGMENT_INFO[segment].label}
            </label>
          ))}
        </div>
        {errors.rfmSegments?.[0] ? (
          <p className="mt-1 text-red-600 text-sm">{errors.rfmSegments[0]}</p>
        ) : null}
      </fieldset>
    </div>
  );
}
