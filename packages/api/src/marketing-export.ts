import { exportMarketingListCsv } from "@xplorium/core/marketing";
import type { CreateContextInput } from "./context";
import { staffCsvDownload } from "./csv-download";

/**
 * A saved segment's marketing list as a CSV download, authorised like a staff procedure
 * (csv-download.ts), 404 for an unknown segment. Reading the list and taking personal data out
 * of the system: both permissions are needed, and, like the customer list itself, a recently
 * entered password.
 */
export function handleMarketingListExport(
  input: Omit<CreateContextInput, "resHeaders">,
  segmentId: string,
): Promise<Response> {
  return staffCsvDownload(input, {
    permissions: ["read:marketing", "export:customer"],
    filename: "marketing-list",
    invalidInput: { status: 404, message: "Segment not found." },
    answered: { NOT_FOUND: 404, BAD_REQUEST: 400 },
    stream: (deps) => exportMarketingListCsv(deps, { segmentId }),
  });
}
