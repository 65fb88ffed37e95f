import jsQR from "jsqr";

/**
 * Reads the QR code in an SVG drawn by the `qrcode` library: its dark modules are one path of
 * `M x y` / `m dx dy` moves and `h n` runs along row y. Rasterised at 8 px a module and decoded
 * with jsQR, as a scanner at the desk or a phone camera would (voucher and two-factor pages).
 */
export function decodeQrSvg(svg: string): string | null {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const d = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)?.[1];
  if (!size || !d) return null;
  const dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  let x = 0;
  let y = 0;
  for (const [, op, args] of d.matchAll(/([MmHhVv])([^MmHhVv]*)/g)) {
    const n = args!
      .trim()
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    if (op === "M") [x, y] = [n[0]!, n[1]!];
    else if (op === "m") [x, y] = [x + n[0]!, y + n[1]!];
    else if (op === "h") {
      for (let i = 0; i < n[0]!; i++) dark[Math.floor(y)]![x + i] = true;
      x += n[0]!;
    } else throw new Error(`unexpected path command ${op}`);
  }
  const scale = 8;
  const px = size * scale;
  const data = new Uint8ClampedArray(px * px * 4);
  for (let row = 0; row < px; row++) {
    for (let col = 0; col < px; col++) {
      const v = dark[Math.floor(row / scale)]![Math.floor(col / scale)] ? 0 : 255;
      data.set([v, v, v, 255], (row * px + col) * 4);
    }
  }
  return jsQR(data, px, px)?.data ?? null;
}
