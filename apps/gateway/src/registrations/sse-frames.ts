/**
 * Server-sent events framing (HTML Living Standard, "Server-sent events"). A line break inside the data
 * would end the field early, so each line of it becomes its own `data:` field (JSON.stringify never
 * emits one, but the framing does not rely on that).
 */
export function sseEvent(event: string, data: unknown): string {
  if (/[\r\n]/.test(event)) throw new Error('an event name cannot contain a line break');
  const lines = JSON.stringify(data).split(/\r\n|\r|\n/);
  return `event: ${event}\n${lines.map((line) => `data: ${line}\n`).join('')}\n`;
}

/** A comment: clients ignore it; proxies and load balancers see traffic and keep the stream open. */
export function sseComment(text: string): string {
  return `${text
    .split(/\r\n|\r|\n/)
    .map((line) => `: ${line}\n`)
    .join('')}\n`;
}
