import { Link } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { Alert, Card, cn, EmptyState, formatNumber, rightAligned, SimpleTable } from "@xplorium/ui";
import { useId } from "react";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { DataTable } from "../analytics/chart-figure";

export type CampaignReportData = RouterOutputs["tracking"]["report"];
type Point = CampaignReportData["series"]["points"][number];
type SeriesKey = Exclude<keyof Point, "at">;

/**
 * The chart's series: the Okabe–Ito palette (told apart with the common colour-vision
 * deficiencies) plus a dash pattern each, so no line depends on colour alone.
 */
const SERIES: { key: SeriesKey; label: string; colour: string; dash?: string }[] = [
  { key: "delivered", label: "Delivered", colour: "#0072B2" },
  { key: "opened", label: "Opened", colour: "#009E73", dash: "6 3" },
  { key: "clicked", label: "Clicked", colour: "#E69F00", dash: "2 3" },
  { key: "bounced", label: "Bounced", colour: "#D55E00", dash: "10 4 2 4" },
  { key: "complained", label: "Complaints", colour: "#CC79A7", dash: "1 6" },
];

const percent = new Intl.NumberFormat("en-GB", { style: "percent", maximumFractionDigits: 1 });
const formatRate = (rate: number | null) => (rate === null ? "—" : percent.format(rate));

function timeLabel(at: Date, bucket: "hour" | "day", timeZone: string, long = false) {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    day: "numeric",
    month: "short",
    ...(bucket === "hour" ? { hour: "2-digit", minute: "2-digit" } : {}),
    ...(long ? { weekday: "short" } : {}),
  }).format(at);
}

function StatTile({
  label,
  value,
  detail,
  tone = "default",
}: {
  label: string;
  value: string;
  detail?: string;
  tone?: "default" | "warn";
}) {
  return (
    <div className="rounded-xl border border-stone-200 bg-white px-4 py-3">
      <dt className="font-medium text-stone-500 text-xs uppercase tracking-wide">{label}</dt>
      <dd
        className={cn(
          "mt-1 font-bold text-2xl tabular-nums",
          tone === "warn" ? "text-red-700" : "text-stone-900",
        )}
      >
        {value}
      </dd>
      {detail ? <dd className="mt-0.5 text-stone-600 text-xs">{detail}</dd> : null}
    </div>
  );
}

/**
 * A campaign's results from Resend's webhooks: stat tiles with rates, events over time as a line
 * chart (with the same numbers as a table for screen readers and keyboard users) and the most
 * clicked links. Rates: delivered and bounces of sent; opens, clicks, complaints and
 * unsubscribes of delivered.
 */
export function CampaignReport({
  report,
  timeZone,
  settingsHref = "/marketing/settings",
}: {
  report: CampaignReportData;
  /** The venue's time zone (TIME_ZONE), so server and browser label the hours alike. */
  timeZone: string;
  settingsHref?: string;
}) {
  const { totals, rates, series, topLinks } = report;
  const chartId = useId();
  const points = series.points.map((p) => ({ ...p, at: new Date(p.at).getTime() }));
  // Delivered always; the others once they have something to show.
  const lines = SERIES.filter(
    (s) => s.key === "delivered" || series.points.some((p) => p[s.key] > 0),
  );
  const noun = series.bucket === "hour" ? "hour" : "day";

  return (
    <div className="space-y-6">
      {!report.trackingEnabled ? (
        <Alert>
          Open and click tracking is off, so opens and clicks are not recorded.{" "}
          <Link to={settingsHref} className="font-medium underline">
            Marketing settings
          </Link>
        </Alert>
      ) : null}

      <section aria-labelledby={`${chartId}-totals`}>
        <h2 id={`${chartId}-totals`} className="sr-only">
          Totals
        </h2>
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
          <StatTile
            label="Sent"
            value={formatNumber(totals.sent)}
            detail={`of ${formatNumber(totals.recipients)} recipients${
              totals.queued > 0 ? ` · ${formatNumber(totals.queued)} waiting` : ""
            }${totals.failed > 0 ? ` · ${formatNumber(totals.failed)} not sent` : ""}`}
          />
          <StatTile
            label="Delivered"
            value={formatNumber(totals.delivered)}
            detail={`${formatRate(rates.delivered)} of sent`}
          />
          <StatTile
            label="Unique opens"
            value={formatNumber(totals.uniqueOpens)}
            detail={`${formatRate(rates.opened)} of delivered`}
          />
          <StatTile
            label="Unique clicks"
            value={formatNumber(totals.uniqueClicks)}
            detail={`${formatRate(rates.clicked)} of delivered`}
          />
          <StatTile
            label="Bounces"
            value={formatNumber(totals.bounces)}
            detail={`${formatRate(rates.bounced)} of sent · ${formatNumber(totals.hardBounces)} hard, ${formatNumber(totals.softBounces)} soft`}
            tone={totals.hardBounces > 0 ? "warn" : "default"}
          />
          <StatTile
            label="Complaints"
            value={formatNumber(totals.complaints)}
            detail={`${formatRate(rates.complained)} of delivered`}
            tone={totals.complaints > 0 ? "warn" : "default"}
          />
          <StatTile
            label="Unsubscribes"
            value={formatNumber(totals.unsubscribes)}
            detail={`${formatRate(rates.unsubscribed)} of delivered`}
          />
        </dl>
      </section>

      <Card title={`Over time (events per ${noun})`}>
        {points.length === 0 ? (
          <EmptyState title="No events yet">
            Delivery, open and click events appear here as Resend reports them.
          </EmptyState>
        ) : (
          <figure>
            <figcaption id={`${chartId}-caption`} className="sr-only">
              Events per {noun} from {timeLabel(series.points[0]!.at, series.bucket, timeZone)} to{" "}
              {timeLabel(series.points.at(-1)!.at, series.bucket, timeZone)}; the same numbers are
              in the table below the chart.
            </figcaption>
            <div role="img" aria-labelledby={`${chartId}-caption`} className="h-72 w-full">
              <ResponsiveContainer
                width="100%"
                height="100%"
                initialDimension={{ width: 720, height: 288 }}
              >
                <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                  <CartesianGrid stroke="#e7e5e4" strokeDasharray="3 3" />
                  <XAxis
                    dataKey="at"
                    type="number"
                    scale="time"
                    domain={["dataMin", "dataMax"]}
                    tickFormatter={(v: number) => timeLabel(new Date(v), series.bucket, timeZone)}
                    tick={{ fontSize: 12, fill: "#57534e" }}
                    minTickGap={24}
                  />
                  <YAxis
                    allowDecimals={false}
                    tick={{ fontSize: 12, fill: "#57534e" }}
                    width={48}
                    label={{
                      value: "Events",
                      angle: -90,
                      position: "insideLeft",
                      fill: "#57534e",
                      fontSize: 12,
                    }}
                  />
                  <Tooltip
                    labelFormatter={(v) =>
                      timeLabel(new Date(Number(v)), series.bucket, timeZone, true)
                    }
                  />
                  <Legend
                    verticalAlign="top"
                    height={32}
                    itemSorter={null}
                    wrapperStyle={{ fontSize: 13 }}
                  />
                  {lines.map((s) => (
                    <Line
                      key={s.key}
                      type="monotone"
                      dataKey={s.key}
                      name={s.label}
                      stroke={s.colour}
                      strokeWidth={2}
                      {...(s.dash ? { strokeDasharray: s.dash } : {})}
                      dot={false}
                      isAnimationActive={false}
                    />
                  ))}
                </LineChart>
              </ResponsiveContainer>
            </div>
            <details className="mt-3 text-sm">
              <summary className="cursor-pointer font-medium text-brand-700">
                Show the numbers as a table
              </summary>
              <div className="mt-2 max-h-80 overflow-auto">
                <DataTable
                  caption={`Events per ${noun}`}
                  rowHeader={noun === "hour" ? "Hour" : "Day"}
                  rows={series.points.map((p) => ({
                    label: timeLabel(p.at, series.bucket, timeZone, true),
                    values: p,
                  }))}
                  series={lines}
                />
              </div>
            </details>
          </figure>
        )}
      </Card>

      <Card title="Top clicked links">
        {topLinks.length === 0 ? (
          <p className="text-sm text-stone-500">
            {report.trackingEnabled ? "No clicks recorded yet." : "Clicks are not being recorded."}
          </p>
        ) : (
          <SimpleTable
            caption="Most clicked links, by recipients who clicked"
            columns={["Link", rightAligned("Recipients"), rightAligned("Clicks")]}
            scroll
            className="tabular-nums"
          >
            {topLinks.map((l) => (
              <tr key={l.link}>
                <td className="max-w-md truncate py-2 pr-3" title={l.link}>
                  {l.link}
                </td>
                <td className="py-2 pr-3 text-right">{formatNumber(l.uniqueClicks)}</td>
                <td className="py-2 text-right">{formatNumber(l.clicks)}</td>
              </tr>
            ))}
          </SimpleTable>
        )}
      </Card>

      <p className="text-stone-500 text-xs">
        Delivered and bounces are shares of sent; opens, clicks, complaints and unsubscribes of
        delivered. Opens are approximate: some mail apps load images for their users. An unsubscribe
        counts for this campaign when the recipient opted out after it and before their next
        marketing email.
      </p>
    </div>
  );
}
