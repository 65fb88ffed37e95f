import { templates } from "../src/templates";

const { component: Email, sample } = templates["account-erased"];
/** `pnpm email:preview`: the react-email preview server shows it with its sample props. */
export default function AccountErasedPreview() {
  return <Email {...sample} />;
}
