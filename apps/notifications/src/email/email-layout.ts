/**
 * One layout for every Convene email, as HTML and as plain text from the same content. The HTML is
 * what mail clients render reliably: tables for layout (marked presentational for screen readers),
 * inline styles, system fonts, a real link for the button, text contrast of at least 4.5:1. Every
 * value is escaped here, once: titles, names, reasons and addresses are user input.
 */

export interface EventSummary {
  title: string;
  /** “Friday, 1 February 2030, 19:00–22:00 CET (Europe/Paris)”. */
  when: string;
  where?: { label: 'Where' | 'Online'; text: string; url?: string };
  cancelled: boolean;
}

export interface EmailContent {
  subject: string;
  /** The line inbox lists show after the subject. */
  preheader: string;
  heading: string;
  greeting: string;
  paragraphs: string[];
  /** Someone's own words (a cancellation reason, a review), set apart from ours. */
  quote?: { label?: string; text: string };
  event?: EventSummary;
  action?: { label: string; url: string };
  /** Why they get it and where to change that. */
  footer: { text: string; settingsUrl: string };
}

const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";
const TEXT = '#1f2328';
const MUTED = '#57606a';
const ACCENT = '#1d4ed8';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]);
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Only http(s) URLs become links: a `javascript:` or `data:` URL from user input stays text. */
export function isWebUrl(value: string): boolean {
  return /^https?:\/\/[^\s"<>]+$/i.test(value);
}

export function renderHtml(content: EmailContent): string {
  const paragraph = (text: string) => `<p style="margin:0 0 16px;">${escapeHtml(text).replace(/\r?\n/g, '<br>')}</p>`;
  const parts = [
    `<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;font-weight:700;color:${TEXT};">${escapeHtml(content.heading)}</h1>`,
    paragraph(content.greeting),
    ...content.paragraphs.map(paragraph),
    content.quote ? quoteHtml(content.quote) : '',
    content.event ? eventHtml(content.event) : '',
    content.action ? actionHtml(content.action) : '',
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(content.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#f3f4f6;">
<div style="display:none;max-height:0;overflow:hidden;" aria-hidden="true">${escapeHtml(content.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border-radius:8px;">
<tr><td style="padding:24px 32px 0;font-family:${FONT};font-size:15px;font-weight:700;letter-spacing:0.04em;color:${ACCENT};">CONVENE</td></tr>
<tr><td style="padding:16px 32px 8px;font-family:${FONT};font-size:16px;line-height:1.5;color:${TEXT};">
${parts.filter(Boolean).join('\n')}
</td></tr>
<tr><td style="padding:16px 32px 24px;font-family:${FONT};font-size:13px;line-height:1.5;color:${MUTED};border-top:1px solid #e5e7eb;">
${escapeHtml(content.footer.text)} <a href="${escapeHtml(content.footer.settingsUrl)}" style="color:${MUTED};text-decoration:underline;">Notification settings</a>
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

function quoteHtml(quote: NonNullable<EmailContent['quote']>): string {
  const label = quote.label ? `<p style="margin:0 0 4px;color:${MUTED};">${escapeHtml(quote.label)}:</p>` : '';
  const text = escapeHtml(quote.text).replace(/\r?\n/g, '<br>');
  return `${label}<blockquote style="margin:0 0 16px;padding:8px 16px;border-left:4px solid #d1d5db;color:${TEXT};">${text}</blockquote>`;
}

function eventHtml(event: EventSummary): string {
  const row = (label: string, value: string) =>
    `<tr><th scope="row" align="left" valign="top" style="padding:4px 12px 4px 0;font-weight:600;color:${MUTED};white-space:nowrap;">${escapeHtml(label)}</th><td style="padding:4px 0;color:${TEXT};">${value}</td></tr>`;
  const where = event.where
    ? event.where.url && isWebUrl(event.where.url)
      ? `<a href="${escapeHtml(event.where.url)}" style="color:${ACCENT};">${escapeHtml(event.where.text)}</a>`
      : escapeHtml(event.where.text)
    : '';
  const title = event.cancelled
    ? `<s>${escapeHtml(event.title)}</s> <strong style="color:#b91c1c;">(cancelled)</strong>`
    : escapeHtml(event.title);
  return [
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 20px;border:1px solid #e5e7eb;border-radius:6px;">`,
    `<tr><td style="padding:16px;font-family:${FONT};font-size:15px;line-height:1.5;">`,
    `<p style="margin:0 0 8px;font-size:17px;font-weight:700;color:${TEXT};">${title}</p>`,
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="font-family:${FONT};font-size:15px;line-height:1.5;">`,
    row('When', escapeHtml(event.when)),
    event.where ? row(event.where.label, where) : '',
    `</table>`,
    `</td></tr></table>`,
  ]
    .filter(Boolean)
    .join('\n');
}

function actionHtml(action: NonNullable<EmailContent['action']>): string {
  const url = escapeHtml(action.url);
  return [
    `<p style="margin:8px 0 16px;"><a href="${url}" style="display:inline-block;padding:12px 20px;background-color:${ACCENT};color:#ffffff;font-weight:600;text-decoration:none;border-radius:6px;">${escapeHtml(action.label)}</a></p>`,
    `<p style="margin:0 0 16px;font-size:13px;color:${MUTED};">Or open this link: <a href="${url}" style="color:${ACCENT};word-break:break-all;">${url}</a></p>`,
  ].join('\n');
}

export function renderText(content: EmailContent): string {
  const blocks: string[] = [content.greeting, ...content.paragraphs];
  if (content.quote) {
    const quoted = content.quote.text
      .split(/\r?\n/)
      .map((line) => `> ${line}`)
      .join('\n');
    blocks.push(content.quote.label ? `${content.quote.label}:\n${quoted}` : quoted);
  }
  if (content.event) {
    const event = content.event;
    const lines = [`${event.title}${event.cancelled ? ' (cancelled)' : ''}`, `When:  ${event.when}`];
    if (event.where) {
      const where =
        event.where.url && event.where.url !== event.where.text
          ? `${event.where.text} (${event.where.url})`
          : event.where.text;
      lines.push(`${`${event.where.label}:`.padEnd(6)} ${where}`);
    }
    blocks.push(lines.join('\n'));
  }
  if (content.action) blocks.push(`${content.action.label}: ${content.action.url}`);
  // "-- " on its own line: the signature separator mail clients recognise (and dim or fold).
  blocks.push(`-- \n${content.footer.text}\nNotification settings: ${content.footer.settingsUrl}`);
  return `${blocks.join('\n\n')}\n`;
}
