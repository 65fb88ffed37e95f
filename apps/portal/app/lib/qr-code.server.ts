import QRCode from "qrcode";

/**
 * A QR code of `text` as an SVG document, drawn on the server so the voucher page needs no
 * script. Error correction M survives a scuffed phone screen; the quiet zone is the 4 modules
 * scanners expect. Black on white for the best contrast at the desk.
 */
export function qrCodeSvg(text: string): Promise<string> {
  return QRCode.toString(text, {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 4,
    color: { dark: "#000000", light: "#ffffff" },
  });
}
