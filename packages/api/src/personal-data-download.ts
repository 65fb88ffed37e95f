import { type PersonalData, personalDataFileName, personalDataZip } from "@xplorium/core/privacy";

/**
 * A data export as the browser downloads it: one zip (data.json, bookings.csv, points.csv),
 * never cached. For the portal's /privacy/download and the admin's /customers/:id/data-export,
 * which get `data` from `portal.exportData` / `customers.exportData` (tRPC answers JSON, so the
 * file is made here) and pass the caller's `headers` (Set-Cookie of a refreshed session).
 */
export function personalDataResponse(data: PersonalData, headers = new Headers()): Response {
  const zip = personalDataZip(data);
  headers.set("Content-Type", "application/zip");
  headers.set("Content-Disposition", `attachment; filename="${personalDataFileName(data)}"`);
  headers.set("Content-Length", String(zip.byteLength));
  // Personal data: never kept by a browser or proxy cache.
  headers.set("Cache-Control", "no-store");
  // fflate allocates a plain ArrayBuffer; the view only tells TypeScript so.
  const body = new Uint8Array(zip.buffer as ArrayBuffer, zip.byteOffset, zip.byteLength);
  return new Response(body, { status: 200, headers });
}
