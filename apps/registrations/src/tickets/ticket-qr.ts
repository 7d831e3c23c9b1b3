import * as QRCode from 'qrcode';

/**
 * The ticket as a QR code, as SVG (for screens and print) and PNG (for wallets and mail). Error
 * correction level M survives a scuffed or glary phone screen while keeping a ~400-character token
 * scannable.
 */
export async function renderTicketQr(token: string): Promise<{ svg: string; png: Buffer }> {
  const [svg, png] = await Promise.all([
    QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    QRCode.toBuffer(token, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 }),
  ]);
  return { svg, png };
}
