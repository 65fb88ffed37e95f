import { z } from "zod";

/** The marketing settings page's one form: the tracking switch (a hidden field per state). */
export const trackingForm = z.object({
  trackOpensClicks: z.enum(["true", "false"], {
    message: "Choose whether opens and clicks are tracked.",
  }),
});
