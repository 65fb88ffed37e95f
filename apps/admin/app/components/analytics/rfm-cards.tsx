import { Link } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import {
  cn,
  formatDate,
  formatMoney,
  formatNumber,
  RFM_SEGMENT_INFO,
  RfmSegmentBadge,
  SimpleTable,
} from "@xplorium/ui";

/** The RFM and churn page's cards (routes/_app.analytics.tsx): counts, grid, bounds, method. */

export type Overview = RouterOutputs["analytics"]["rfmSegments"];
export type Rfm = NonNullable<Overview["rfm"]>;

const percent = (n: number) =>
  new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 1 }).format(n);
export const days = (n: number) => `${formatNumber(n)} ${n === 1 ? "day" : "days"}`;

export function SegmentCounts({ rfm }: { rfm: Rfm }) {
  return (
    <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
      {rfm.segments.map((s) => (
        <li key={s.segment} className="rounded-xl border border-stone-200 p-3">
          <div className="flex items-center justify-between gap-2">
            <RfmSegmentBadge segment={s.segment} />
            <span className="font-semibold text-stone-900 tabular-nums">
              {formatNumber(s.customers)}
              <span className="ml-1 font-normal text-stone-500 text-xs">{`(${percent(s.share)})`}</span>
            </span>
          </div>
          <p className="mt-2 text-sm text-stone-600">{RFM_SEGMENT_INFO[s.segment].description}</p>
          {s.customers > 0 ? (
            <Link
              to={`/marketing/segments/new?rfm=${s.segment}`}
              className="mt-2 inline-block font-medium text-brand-700 text-xs hover:underline"
            >
              Build a marketing segment →
            </Link>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function RfmGrid({ rfm }: { rfm: Rfm }) {
  return (
    <table className="w-full table-fixed border-separate border-spacing-1 text-center text-sm">
      <caption className="mb-2 text-left text-sm text-stone-600">
        Customers by recency (rows, 5 = most recent) and FM, the mean of their frequency and
        monetary scores (columns, 5 = most).
      </caption>
      <thead>
        <tr>
          <th scope="col" className="w-16 text-stone-500 text-xs">
            R \ FM
          </th>
          {[1, 2, 3, 4, 5].map((fm) => (
            <th key={fm} scope="col" className="text-stone-500 text-xs">
              FM {fm}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rfm.grid.map((row) => (
          <tr key={row.recency}>
            <th scope="row" className="text-stone-500 text-xs">
              R {row.recency}
            </th>
            {row.cells.map((cell) => (
              <td
                key={cell.fm}
                className={cn(
                  "rounded-lg px-1 py-2 ring-1",
                  RFM_SEGMENT_INFO[cell.segment].className,
                )}
              >
                <span className="block font-semibold tabular-nums">
                  {formatNumber(cell.customers)}
                </span>
                <span className="block truncate text-[11px]">
                  {RFM_SEGMENT_INFO[cell.segment].label}
                </span>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ScoreBounds({ rfm, currency }: { rfm: Rfm; currency: string }) {
  const cell = (
    list: Rfm["bounds"]["recency"],
    score: number,
    show: (v: string | number) => string,
  ) => {
    const b = list.find((x) => x.score === score);
    if (!b) return <span className="text-stone-400">nobody</span>;
    const lo = show(b.min);
    const hi = show(b.max);
    return (
      <>
        {lo === hi ? lo : `${lo} – ${hi}`}
        <span className="block text-stone-500 text-xs">{formatNumber(b.customers)} customers</span>
      </>
    );
  };
  return (
    <SimpleTable
      caption="What each score covers"
      columns={["Score", "Recency: last visit", "Frequency: visits", "Monetary: spent"]}
      compact
    >
      {[5, 4, 3, 2, 1].map((score) => (
        <tr key={score}>
          <th scope="row" className="py-2 pr-3">
            {score}
          </th>
          <td className="py-2 pr-3">
            {cell(rfm.bounds.recency, score, (v) => formatDate(String(v)))}
          </td>
          <td className="py-2 pr-3 tabular-nums">
            {cell(rfm.bounds.frequency, score, (v) => formatNumber(Number(v)))}
          </td>
          <td className="py-2 tabular-nums">
            {cell(rfm.bounds.monetary, score, (v) => formatMoney(Number(v), currency))}
          </td>
        </tr>
      ))}
    </SimpleTable>
  );
}

export function ChurnMethod({ rules }: { rules: Overview["rules"] }) {
  return (
    <div className="space-y-2 text-sm text-stone-700">
      <p>
        <strong>Churn score = days since the last visit ÷ the family's rhythm.</strong> The rhythm
        is the median number of days between two of their visits, once they have at least{" "}
        {rules.minGapsForOwnRhythm} such gaps (three visits); before that it is the venue's typical
        gap between two visits of the same family
        {rules.venueGapDays !== null ? ` (now ${days(rules.venueGapDays)})` : ""}. A rhythm is never
        taken as shorter than {days(rules.minRhythmDays)}. A family with a booking ahead of them
        scores 0.
      </p>
      <p>
        Under 1: on rhythm. From 1: due back. From {rules.likelyFrom}:{" "}
        <strong>likely to churn</strong> (twice as late as usual: the list below, and a marketing
        segment option). From {rules.lapsedFrom}: lapsed, probably gone already. A family that came
        every fortnight and was last seen 30 days ago scores 30 ÷ 14 = 2.1.
      </p>
    </div>
  );
}
