import { templates } from "../src/templates";

const { component: Email, sample } = templates["sign-in-code"];
/** `pnpm email:preview`: the react-email preview server shows it with its sample props. */
export default function SignInCodePreview() {
  return <Email {...sample} />;
}
