// Event descriptions are "plain text or Markdown". This renders the small subset organizers use
// (paragraphs, line breaks, bullet and numbered lists, headings, **bold**, *emphasis*, `code`,
// [links](https://…)) as React elements: no HTML from the organizer ever reaches the page.
import type { ReactNode } from 'react';

type Block = { kind: 'p'; lines: string[] } | { kind: 'ul' | 'ol'; items: string[] } | { kind: 'h'; text: string };

function blocksOf(source: string): Block[] {
  const blocks: Block[] = [];
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const last = blocks.at(-1);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!line.trim()) blocks.push({ kind: 'p', lines: [] });
    else if (heading) blocks.push({ kind: 'h', text: heading[1] });
    else if (bullet) {
      if (last?.kind === 'ul') last.items.push(bullet[1]);
      else blocks.push({ kind: 'ul', items: [bullet[1]] });
    } else if (numbered) {
      if (last?.kind === 'ol') last.items.push(numbered[1]);
      else blocks.push({ kind: 'ol', items: [numbered[1]] });
    } else if (last?.kind === 'p') last.lines.push(line);
    else blocks.push({ kind: 'p', lines: [line] });
  }
  return blocks.filter((b) => b.kind !== 'p' || b.lines.length > 0);
}

const INLINE = /\*\*(.+?)\*\*|__(.+?)__|\*(.+?)\*|_(.+?)_|`(.+?)`|\[([^\]]+)\]\((https?:\/\/[^\s)]+|mailto:[^\s)]+)\)/g;

function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  let n = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > at) out.push(text.slice(at, match.index));
    const k = `${key}-${n++}`;
    const [, bold1, bold2, em1, em2, code, label, href] = match;
    if (bold1 ?? bold2) out.push(<strong key={k}>{inline(bold1 ?? bold2, k)}</strong>);
    else if (em1 ?? em2) out.push(<em key={k}>{inline(em1 ?? em2, k)}</em>);
    else if (code) out.push(<code key={k}>{code}</code>);
    else
      out.push(
        <a key={k} href={href} rel="noopener noreferrer nofollow">
          {label}
        </a>,
      );
    at = match.index + match[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

export function Markdown({ source, className }: { source: string; className?: string }) {
  return (
    <div className={className}>
      {blocksOf(source).map((block, i) => {
        const key = String(i);
        if (block.kind === 'h') return <h3 key={key}>{inline(block.text, key)}</h3>;
        if (block.kind !== 'p') {
          const List = block.kind;
          return (
            <List key={key}>
              {block.items.map((item, j) => (
                <li key={j}>{inline(item, `${key}-${j}`)}</li>
              ))}
            </List>
          );
        }
        return (
          <p key={key}>
            {block.lines.flatMap((line, j) => [
              ...(j > 0 ? [<br key={`${key}-br-${j}`} />] : []),
              ...inline(line, `${key}-${j}`),
            ])}
          </p>
        );
      })}
    </div>
  );
}
