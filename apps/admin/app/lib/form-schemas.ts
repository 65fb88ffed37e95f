import { z } from "zod";

/**
 * A whole number as staff type it ("1 200", "1,200"): the separators go, then `number` (the
 * procedure's own limits and messages) checks it. Left empty, the field says `required`; text
 * that is not a number gets `number`'s own type message.
 */
export function typedNumber(number: z.ZodNumber, required: string) {
  return z
    .string({ message: required })
    .transform((raw) => {
      const digits = raw.replace(/[\s,]/g, "");
      return digits === "" ? Number.NaN : Number(digits);
    })
    .pipe(number);
}
