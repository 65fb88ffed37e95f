import { type CustomerFilterInput, exportCustomersCsv } from "@xplorium/core/customers";
import type { CreateContextInput } from "./context";
import { staffCsvDownload } from "./csv-download";

/**
 * The customer list as a CSV download, authorised exactly like
 * `staffProcedure("export:customer")` (csv-download.ts). Every customer in one file:
 * owner-level, the password must have been entered recently.
 */
export function handleCustomerExport(
  input: Omit<CreateContextInput, "resHeaders">,
  filters: CustomerFilterInput,
): Promise<Response> {
  return staffCsvDownload(input, {
    permissions: ["export:customer"],
    filename: "customers",
    invalidInput: { status: 400, message: "Those filters are not valid." },
    answered: { BAD_REQUEST: 400 },
    stream: (deps) => exportCustomersCsv(deps, filters),
  });
}
