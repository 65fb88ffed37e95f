export { getCollectionProps, getFormProps } from "@conform-to/react";
export type { ColumnDef } from "@tanstack/react-table";
export { Button, type ButtonProps, Spinner } from "./button";
export { Alert, Card, EmptyState, PageHeader } from "./card";
export { cn } from "./cn";
export { DataTable, type DataTableProps, type DataTableSort } from "./data-table";
export { CheckboxField, type FormField, SelectField, TextareaField, TextField } from "./field";
export {
  type FormResultLike,
  failedResult,
  useBusyIntent,
  useResultToast,
  useZodForm,
} from "./form";
export { formatDate, formatMoney, formatNumber, setDisplayTimeZone } from "./format";
export {
  CHURN_LEVEL_INFO,
  type ChurnLevel,
  ChurnLevelBadge,
  RFM_SEGMENT_INFO,
  RFM_SEGMENT_ORDER,
  type RfmSegment,
  RfmSegmentBadge,
} from "./rfm-segment";
export { hiddenLabel, rightAligned, type SimpleColumn, SimpleTable } from "./simple-table";
export { SubmitSwitch } from "./switch";
export { ProgressBar, TierBadge } from "./tier-badge";
export { VoucherStateBadge } from "./voucher-state";
