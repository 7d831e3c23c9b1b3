// Live updates from the gateway's text/event-stream routes. Public streams use EventSource (it
// reconnects and resends Last-Event-ID by itself); the notifications stream needs the bearer token,
// which EventSource cannot send, so it is read with fetch and reconnects here, resuming from the last id.
import { useEffect, useRef } from 'react';
import { authorizedFetch } from '../api/client';

export function usePublicStream<T>(path: string | undefined, eventName: string, onData: (data: T) => void): void {
  const handler = useRef(onData);
  handler.current = onData;
  useEffect(() => {
    if (!path) return;
    const source = new EventSource(path);
    const listener = (event: MessageEvent<string>) => handler.current(JSON.parse(event.data) as T);
    source.addEventListener(eventName, listener);
    return () => {
      source.removeEventListener(eventName, listener);
      source.close();
    };
  }, [path, eventName]);
}

interface Frame {
  id?: string;
  event: string;
  data: string;
}

/** Splits a text/event-stream into frames (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export function parseFrames(buffer: string): { frames: Frame[]; rest: string } {
  const frames: Frame[] = [];
  const blocks = buffer.replace(/\r\n?/g, '\n').split('\n\n');
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    const frame: Frame = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') frame.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') frame.id = value;
    }
    if (data.length) frames.push({ ...frame, data: data.join('\n') });
  }
  return { frames, rest };
}

/** Follows an authorized event stream while mounted; reconnects with backoff, resuming after the last id. */
export function useAuthorizedStream(path: string | undefined, onFrame: (event: string, data: unknown) => void): void {
  const handler = useRef(onFrame);
  handler.current = onFrame;
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    let lastEventId: string | undefined;
    let attempt = 0;
    const follow = async (): Promise<void> => {
      while (!controller.signal.aborted) {
        try {
          const headers: Record<string, string> = { accept: 'text/event-stream' };
          if (lastEventId) headers['last-event-id'] = lastEventId;
          const response = await authorizedFetch(path, { headers, signal: controller.signal });
          const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          attempt = 0;
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            const parsed = parseFrames(buffer + value);
            buffer = parsed.rest;
            for (const frame of parsed.frames) {
              if (frame.id) lastEventId = frame.id;
              handler.current(frame.event, JSON.parse(frame.data));
            }
          }
        } catch {
          if (controller.signal.aborted) return;
        }
        attempt += 1;
        await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6))));
      }
    };
    void follow();
    return () => controller.abort();
  }, [path]);
}
