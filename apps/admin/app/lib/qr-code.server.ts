import QRCode from "qrcode";

/**
 * A QR code of `text` as an SVG `data:` URL, drawn on the server: no script, no third party,
 * and allowed by the CSP (`img-src 'self' data:`). Error correction M and the 4-module quiet
 * zone scanners expect; black on white for phone cameras.
 */
export async function qrCodeDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 4,
    color: { dark: "#000000", light: "#ffffff" },
  });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}
