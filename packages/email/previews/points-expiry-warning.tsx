import { templates } from "../src/templates";

const { component: Email, sample } = templates["points-expiry-warning"];
/** `pnpm email:preview`: the react-email preview server shows it with its sample props. */
export default function PointsExpiryWarningPreview() {
  return <Email {...sample} />;
}
