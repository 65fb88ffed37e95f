import { Form } from "@remix-run/react";
import {
  Alert,
  Button,
  Card,
  type FormResultLike,
  failedResult,
  getFormProps,
  TextField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { sendTestForm } from "./campaign-forms";
import type { PreviewCustomer } from "./campaign-preview";

/** The saved campaign to a few addresses, with the preview's customer's values. */
export function CampaignTestSendCard({
  result,
  customer,
}: {
  result: FormResultLike | undefined;
  customer: PreviewCustomer | null;
}) {
  const busy = useBusyIntent();
  const [form, fields] = useZodForm(sendTestForm, { result, intent: "sendTest" });
  const failed = failedResult(result, "sendTest");
  return (
    <Card title="Send a test">
      <Form method="post" className="space-y-3" aria-label="Send a test" {...getFormProps(form)}>
        <input type="hidden" name="customerId" value={customer?.id ?? ""} />
        <TextField
          label="To"
          field={fields.to}
          placeholder="you@example.com, colleague@example.com"
          hint={`Up to 5 addresses. The saved version, subject prefixed “[Test]”, with ${
            customer ? `${customer.name ?? customer.email}'s` : "the sample"
          } values.`}
        />
        {failed && !fields.to.errors ? <Alert tone="error">{failed.message}</Alert> : null}
        <Button name="intent" value="sendTest" variant="secondary" busy={busy === "sendTest"}>
          Send test
        </Button>
      </Form>
    </Card>
  );
}
