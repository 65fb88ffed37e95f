import { templates } from "../src/templates";

const { component: Email, sample } = templates["staff-password-reset"];
/** `pnpm email:preview`: the react-email preview server shows it with its sample props. */
export default function StaffPasswordResetPreview() {
  return <Email {...sample} />;
}
