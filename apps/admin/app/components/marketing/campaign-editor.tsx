import { Form } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { MERGE_TAGS, type MergeTag } from "@xplorium/domain";
import {
  Alert,
  Button,
  Card,
  type FormResultLike,
  formatNumber,
  getFormProps,
  SelectField,
  TextareaField,
  TextField,
  useBusyIntent,
  useZodForm,
} from "@xplorium/ui";
import { useRef, useState } from "react";
import { EVERYONE, saveCampaignForm, useRecipientCount } from "./campaign-forms";
import type { CampaignMessage } from "./campaign-preview";

type Campaign = RouterOutputs["campaigns"]["byId"];

/** What each merge tag stands for; typed by the tag list, so a new tag cannot go unexplained. */
const MERGE_TAG_MEANINGS: Record<MergeTag, string> = {
  firstName: "first name (or “there”)",
  points: "points balance",
  tier: "tier",
  pointsToNextTier: "points to the next tier",
};
const MERGE_TAG_HINTS = MERGE_TAGS.map((t) => ({ tag: `{{${t}}}`, means: MERGE_TAG_MEANINGS[t] }));

/** The campaign's saved audience as the select's value. */
export function audienceOf(campaign: Campaign | null): string {
  if (!campaign) return "";
  return campaign.segmentId ? campaign.segmentId : campaign.toWholeList ? EVERYONE : "";
}

/**
 * The email: name, audience (with how many it reaches now), subject, preheader and Markdown
 * body with merge tags. Subject, preheader and body are the page's (the preview renders them
 * as they are typed); unknown merge tags found by the preview show inline before any save.
 */
export function CampaignEditor({
  campaign,
  segments,
  editable,
  result,
  message,
  onMessageChange,
  liveErrors,
}: {
  campaign: Campaign | null;
  segments: { id: string; name: string }[];
  editable: boolean;
  result: FormResultLike | undefined;
  message: CampaignMessage;
  onMessageChange: (message: CampaignMessage) => void;
  liveErrors: Record<string, string[] | undefined>;
}) {
  const busy = useBusyIntent();
  const initialAudience = audienceOf(campaign);
  const [form, fields] = useZodForm(saveCampaignForm, {
    result,
    intent: "save",
    defaultValue: { name: campaign?.name ?? "", segmentId: initialAudience },
  });
  const [audience, setAudience] = useState(String(fields.segmentId.initialValue ?? ""));
  const count = useRecipientCount(audience);
  const body = useRef<HTMLTextAreaElement>(null);
  const errorFor = (name: keyof CampaignMessage | "segmentId") =>
    fields[name].errors ?? liveErrors[name] ?? null;
  const set = (field: keyof CampaignMessage) => (value: string) =>
    onMessageChange({ ...message, [field]: value });

  /** Puts a merge tag at the cursor in the body. */
  const insertTag = (tag: string) => {
    const el = body.current;
    const at = el?.selectionStart ?? message.bodyMarkdown.length;
    const end = el?.selectionEnd ?? at;
    set("bodyMarkdown")(message.bodyMarkdown.slice(0, at) + tag + message.bodyMarkdown.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + tag.length, at + tag.length);
    });
  };

  const audienceOptions = [
    ...(initialAudience === "" ? [{ value: "", label: "Choose an audience…" }] : []),
    { value: EVERYONE, label: "Everyone on the marketing list" },
    ...segments.map((s) => ({ value: s.id, label: s.name })),
  ];

  return (
    <Card title={editable ? "Email" : "Email (read only once scheduled)"}>
      <Form method="post" className="space-y-4" aria-label="Campaign" {...getFormProps(form)}>
        {form.errors ? <Alert tone="error">{form.errors[0]}</Alert> : null}
        <TextField
          label="Name"
          field={fields.name}
          hint="For you; recipients never see it."
          disabled={!editable}
        />
        <SelectField
          label="Audience"
          field={fields.segmentId}
          value={audience}
          onChange={(e) => setAudience(e.target.value)}
          options={audienceOptions}
          error={
            errorFor("segmentId") ??
            (campaign?.audience.kind === "segmentDeleted"
              ? "Its segment was deleted; choose who it goes to."
              : null)
          }
          hint={
            audience === ""
              ? "A saved segment, or everyone who opted in."
              : count.data
                ? `${formatNumber(count.data.total)} recipients now (opted in, not suppressed). Taken again when sending starts.`
                : "Counting…"
          }
          disabled={!editable}
        />
        <TextField
          label="Subject"
          field={fields.subject}
          value={message.subject}
          onChange={(e) => set("subject")(e.target.value)}
          error={errorFor("subject")}
          disabled={!editable}
        />
        <TextField
          label="Preheader"
          field={fields.preheader}
          value={message.preheader}
          onChange={(e) => set("preheader")(e.target.value)}
          hint="The line inbox lists show after the subject."
          error={errorFor("preheader")}
          disabled={!editable}
        />
        <TextareaField
          label="Body (Markdown)"
          field={fields.bodyMarkdown}
          rows={14}
          monospace
          textareaRef={body}
          value={message.bodyMarkdown}
          onChange={(e) => set("bodyMarkdown")(e.target.value)}
          error={errorFor("bodyMarkdown")}
          disabled={!editable}
          hint="**bold**, _italic_, [a link](https://…), # headings, - lists. The unsubscribe footer is added for you."
        />
        <div>
          <p className="font-medium text-sm text-stone-700">Merge tags</p>
          <ul className="mt-1 flex flex-wrap gap-2" aria-label="Merge tags">
            {MERGE_TAG_HINTS.map((m) => (
              <li key={m.tag}>
                <button
                  type="button"
                  disabled={!editable}
                  onClick={() => insertTag(m.tag)}
                  className="rounded-md bg-stone-100 px-2 py-1 font-mono text-stone-800 text-xs hover:bg-stone-200 disabled:opacity-60"
                  title={`Insert the ${m.means}`}
                >
                  {m.tag}
                </button>
                <span className="ml-1 text-stone-500 text-xs">{m.means}</span>
              </li>
            ))}
          </ul>
        </div>
        {editable ? (
          <Button name="intent" value="save" busy={busy === "save"}>
            {campaign ? "Save changes" : "Save draft"}
          </Button>
        ) : null}
      </Form>
    </Card>
  );
}
