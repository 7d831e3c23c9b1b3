// The QR decoder: the Barcode Detection API ponyfill (barcode-detector) over zxing-wasm. Its
// WebAssembly binary is bundled with the app and loaded from our own origin: by default the library
// would fetch it from a CDN, which the CSP (connect-src 'self') forbids and a door must not depend on.
// Loaded on demand (dynamic import) when the camera starts, so other pages never download it.
import { BarcodeDetector, prepareZXingModule } from 'barcode-detector/ponyfill';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

const overrides = {
  locateFile: (path: string, prefix: string) =>
    path.endsWith('.wasm') ? new URL(wasmUrl, window.location.href).href : prefix + path,
};

prepareZXingModule({ overrides });

/** Fetches and compiles the decoder now, so the first scan does not wait for it (and a failure shows early). */
export async function loadQrDecoder(): Promise<void> {
  await prepareZXingModule({ overrides, fireImmediately: true });
}

export function createQrDetector(): BarcodeDetector {
  return new BarcodeDetector({ formats: ['qr_code'] });
}

export type { BarcodeDetector };
