import { templates } from "../src/templates";

const { component: Email, sample } = templates["sign-up-code"];
/** `pnpm email:preview`: the react-email preview server shows it with its sample props. */
export default function SignUpCodePreview() {
  return <Email {...sample} />;
}
