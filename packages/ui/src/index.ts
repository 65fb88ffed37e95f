export { Button, type ButtonProps, Spinner } from "./button";
export { Alert, Card, EmptyState, PageHeader } from "./card";
export { cn } from "./cn";
export { SelectField, TextField } from "./field";
export { formatDate, formatMoney, formatNumber } from "./format";
export { ProgressBar, type Tier, TierBadge } from "./tier-badge";
