import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert, formatDate, formatNumber, VoucherStateBadge } from "@xplorium/ui";
import { qrCodeSvg } from "@xplorium/ui/qr-code";
import { ErrorPage } from "@xplorium/ui/remix";
import { describeActionError } from "~/lib/api.server";
import { requireCustomer } from "~/lib/session.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.voucher.reward.name} voucher · My Xplorium` : "Voucher · My Xplorium" },
];

/**
 * One of the customer's vouchers, to show at the front desk: the code large, a QR code of it
 * for the desk's scanner (drawn on the server), the reward, its state and expiry. Another
 * customer's code is not found.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { api, headers } = await requireCustomer(request, context);
  let voucher: Awaited<ReturnType<typeof api.portal.voucher>>;
  try {
    voucher = await api.portal.voucher({ code: params.code ?? "" });
  } catch (error) {
    const f = describeActionError(error);
    if (f.status === 404 || f.status === 400) {
      throw new Response("We could not find that voucher in your account.", {
        status: 404,
        headers,
      });
    }
    throw error;
  }
  const justRedeemed = new URL(request.url).searchParams.has("new");
  return data({ voucher, qr: await qrCodeSvg(voucher.code), justRedeemed }, { headers });
}

/** Inside the account layout, so the tabs stay. */
export const ErrorBoundary = ErrorPage;

export default function Voucher() {
  const { voucher: v, qr, justRedeemed } = useLoaderData<typeof loader>();
  const usable = v.state === "ISSUED";
  return (
    <div className="space-y-5">
      {justRedeemed ? (
        <Alert tone="success">
          Done! {formatNumber(v.pointsSpent)} points spent on {v.reward.name}. Show this voucher at
          the front desk.
        </Alert>
      ) : null}
      <div className="flex items-center justify-between gap-3">
        <h1 className="font-bold text-2xl text-stone-900">{v.reward.name}</h1>
        <VoucherStateBadge state={v.state} size="lg" />
      </div>

      <section
        aria-label="Voucher"
        className="rounded-3xl bg-white p-6 text-center shadow-lg ring-1 ring-stone-200"
      >
        <dl>
          <dt className="text-sm text-stone-600">Voucher code</dt>
          <dd
            className="mt-1 break-all font-bold font-mono text-4xl text-stone-900 tracking-wider sm:text-5xl"
            data-testid="voucher-code"
          >
            {v.code}
          </dd>
        </dl>
        {usable ? (
          <div
            role="img"
            aria-label={`QR code of voucher ${v.code}`}
            data-testid="voucher-qr"
            className="mx-auto mt-5 w-full max-w-64 [&>svg]:h-auto [&>svg]:w-full"
            // An SVG the qrcode library drew on the server from the voucher code: no user HTML.
            dangerouslySetInnerHTML={{ __html: qr }}
          />
        ) : null}
        <p className="mt-5 text-stone-700">
          {v.state === "ISSUED"
            ? `Valid until ${formatDate(v.expiresAt)}`
            : v.state === "USED"
              ? `Used on ${formatDate(v.usedAt, { time: true })}`
              : v.state === "EXPIRED"
                ? `Expired on ${formatDate(v.expiresAt)}`
                : `Cancelled on ${formatDate(v.cancelledAt)}; its points were refunded.`}
        </p>
        {usable ? (
          <p className="mt-1 text-sm text-stone-600">
            Show this screen at the front desk. They scan the QR code or type the code.
          </p>
        ) : null}
      </section>

      <dl className="grid grid-cols-2 gap-3 text-sm">
        <div className="rounded-xl bg-white p-3 ring-1 ring-stone-200">
          <dt className="text-stone-600">Points spent</dt>
          <dd className="font-semibold text-stone-900">{formatNumber(v.pointsSpent)}</dd>
        </div>
        <div className="rounded-xl bg-white p-3 ring-1 ring-stone-200">
          <dt className="text-stone-600">Issued</dt>
          <dd className="font-semibold text-stone-900">{formatDate(v.issuedAt)}</dd>
        </div>
      </dl>
      {v.reward.description ? <p className="text-stone-700">{v.reward.description}</p> : null}
      <Link
        to="/rewards#my-vouchers"
        className="inline-block font-medium text-brand-700 hover:underline"
      >
        ← All my vouchers
      </Link>
    </div>
  );
}
