// The device camera as a QR reader: a Start/Stop toggle, the rear camera's picture, and every QR
// code read from it handed to `onScan` (the page decides what to do with repeats). Problems with the
// camera are explained in words, with the typed code as the way on.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BarcodeDetector } from './qr-decoder';

type CameraState = { kind: 'off' } | { kind: 'starting' } | { kind: 'on' } | { kind: 'failed'; message: string };

/** How often a frame is decoded: fast enough to feel instant, slow enough for an old phone. */
const SCAN_EVERY_MS = 150;

function cameraProblem(error: unknown): string {
  const name = (error as { name?: string })?.name;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera access was refused. Allow the camera for this site in your browser’s settings (often an icon in the address bar), then press Start camera again. Meanwhile, type the ticket code instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return 'No camera was found on this device. Type the ticket code instead.';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'The camera could not start: another app may be using it. Close it and press Start camera again, or type the ticket code instead.';
    case 'DecoderUnavailable':
      return 'The QR decoder could not be loaded. Check the connection and press Start camera again, or type the ticket code instead.';
    default:
      return 'The camera could not start. Press Start camera to try again, or type the ticket code instead.';
  }
}

export function QrScanner({ onScan }: { onScan(value: string): void }) {
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const run = useRef(0);
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;
  const [state, setState] = useState<CameraState>({ kind: 'off' });

  const stop = useCallback(() => {
    run.current += 1;
    if (timer.current) clearTimeout(timer.current);
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = undefined;
    if (video.current) video.current.srcObject = null;
  }, []);

  const start = useCallback(async () => {
    stop();
    const myRun = run.current;
    setState({ kind: 'starting' });
    if (!navigator.mediaDevices?.getUserMedia) {
      setState({
        kind: 'failed',
        message:
          'This browser cannot use the camera on this page (it needs a secure https connection). Type the ticket code instead.',
      });
      return;
    }
    let detector: BarcodeDetector;
    let media: MediaStream;
    try {
      const decoder = await import('./qr-decoder').catch(() => {
        throw Object.assign(new Error('decoder'), { name: 'DecoderUnavailable' });
      });
      const loading = decoder.loadQrDecoder().catch(() => {
        throw Object.assign(new Error('decoder'), { name: 'DecoderUnavailable' });
      });
      media = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
      if (myRun !== run.current) {
        media.getTracks().forEach((track) => track.stop());
        return;
      }
      stream.current = media;
      await loading;
      detector = decoder.createQrDetector();
    } catch (error) {
      if (myRun !== run.current) return;
      stop();
      setState({ kind: 'failed', message: cameraProblem(error) });
      return;
    }
    const element = video.current;
    if (!element || myRun !== run.current) return;
    element.srcObject = media;
    try {
      await element.play();
    } catch {
      // Autoplay of a muted inline video is allowed; if a browser still refuses, frames arrive anyway.
    }
    setState({ kind: 'on' });

    const scan = async () => {
      if (myRun !== run.current) return;
      if (element.readyState >= element.HAVE_CURRENT_DATA && element.videoWidth > 0) {
        try {
          const codes = await detector.detect(element);
          const value = codes.find((c) => c.rawValue)?.rawValue;
          if (value && myRun === run.current) onScanRef.current(value);
        } catch {
          // A frame that cannot be decoded is just skipped.
        }
      }
      if (myRun === run.current) timer.current = setTimeout(() => void scan(), SCAN_EVERY_MS);
    };
    void scan();
    // The camera was unplugged or taken by another app.
    media.getVideoTracks()[0]?.addEventListener('ended', () => {
      if (myRun !== run.current) return;
      stop();
      setState({ kind: 'failed', message: cameraProblem({ name: 'NotReadableError' }) });
    });
  }, [stop]);

  useEffect(() => stop, [stop]);

  const running = state.kind === 'on' || state.kind === 'starting';
  return (
    <section className="scanner card stack" aria-labelledby="scanner-title">
      <div className="scanner-head">
        <h2 id="scanner-title">Scan with the camera</h2>
        <button
          type="button"
          className={running ? 'button button-secondary' : 'button'}
          onClick={() => {
            if (running) {
              stop();
              setState({ kind: 'off' });
            } else void start();
          }}
        >
          {running ? 'Stop camera' : 'Start camera'}
        </button>
      </div>
      <div className={running ? 'viewfinder viewfinder-on' : 'viewfinder'}>
        <video ref={video} muted playsInline aria-label="Camera picture" />
        {state.kind === 'on' && <div className="viewfinder-frame" aria-hidden="true" />}
      </div>
      <p className="scanner-state" role="status">
        {state.kind === 'off' && 'Camera off. Start it to scan tickets one after another.'}
        {state.kind === 'starting' && 'Starting the camera…'}
        {state.kind === 'on' && 'Scanning: hold the ticket’s QR code inside the frame.'}
      </p>
      {state.kind === 'failed' && (
        <p className="alert alert-error" role="alert">
          {state.message}
        </p>
      )}
    </section>
  );
}
