import { templates } from "../src/templates";

const { component: Email, sample } = templates["consent-confirm"];
/** `pnpm email:preview`: the react-email preview server shows it with its sample props. */
export default function ConsentConfirmPreview() {
  return <Email {...sample} />;
}
