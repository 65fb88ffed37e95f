/** The staff domain's entry: what the API and the worker use. Tests reach internals by relative path. */
export { createStaff, listStaff, updateStaff } from "./staff-admin";
