import { Form, useNavigation } from "@remix-run/react";
import type { RouterOutputs } from "@xplorium/api";
import { formatDate, SubmitSwitch } from "@xplorium/ui";

type Overview = RouterOutputs["portal"]["privacy"];
type Channel = keyof Overview["channels"];

export const CHANNEL_TITLES: Record<Channel, string> = {
  EMAIL: "Marketing emails",
  SMS: "Marketing SMS",
};

/**
 * A switch per marketing channel, each its own form (intent "consent") posting the state it
 * turns to and the version of the wording shown beside it, which is what gets recorded.
 */
export function ConsentToggles({ overview }: { overview: Overview }) {
  const nav = useNavigation();
  const busy =
    nav.state !== "idle" && nav.formData?.get("intent") === "consent"
      ? String(nav.formData.get("channel"))
      : null;
  return (
    <ul className="space-y-4">
      {(Object.keys(CHANNEL_TITLES) as Channel[]).map((channel) => {
        const title = CHANNEL_TITLES[channel];
        const state = overview.channels[channel];
        const wording = overview.wording[channel];
        const on = state.optedIn;
        const statusId = `consent-${channel.toLowerCase()}-status`;
        return (
          <li key={channel} className="rounded-xl border border-stone-200 p-4">
            <Form method="post" className="flex items-start justify-between gap-4">
              <input type="hidden" name="intent" value="consent" />
              <input type="hidden" name="channel" value={channel} />
              <input type="hidden" name="granted" value={on ? "false" : "true"} />
              <input type="hidden" name="wordingVersion" value={wording.version} />
              <div className="min-w-0">
                <p className="font-medium text-stone-900">{title}</p>
                <p
                  className="mt-1 text-sm text-stone-700"
                  data-testid={`consent-wording-${channel}`}
                >
                  “{wording.text}”
                </p>
                <p id={statusId} className="mt-1 text-stone-500 text-xs">
                  {on
                    ? "On. Turn it off at any time, here or from any message."
                    : state.awaitingSince
                      ? `Off: waiting for your confirmation from the email we sent on ${formatDate(state.awaitingSince)}. You can also turn it on here.`
                      : "Off."}
                </p>
              </div>
              <SubmitSwitch
                on={on}
                label={title}
                describedBy={statusId}
                disabled={busy === channel}
                size="md"
                className="mt-1"
              />
            </Form>
          </li>
        );
      })}
    </ul>
  );
}
