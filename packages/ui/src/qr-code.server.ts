import QRCode from "qrcode";

/**
 * A QR code of `text` as an SVG document, drawn on the server so a page needs no script and no
 * third party (the portal's voucher, the admin's two-factor setup). Error correction M survives
 * a scuffed phone screen; the quiet zone is the 4 modules scanners expect; black on white for
 * phone cameras.
 */
export function qrCodeSvg(text: string): Promise<string> {
  return QRCode.toString(text, {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 4,
    color: { dark: "#000000", light: "#ffffff" },
  });
}

/** The same as an SVG `data:` URL for an `<img>` (the CSP allows `img-src 'self' data:`). */
export async function qrCodeDataUrl(text: string): Promise<string> {
  return `data:image/svg+xml;base64,${Buffer.from(await qrCodeSvg(text)).toString("base64")}`;
}
