import { sseComment, sseEvent } from './sse-frames';

describe('sseEvent', () => {
  it('frames a named event with its JSON data and a blank line', () => {
    expect(sseEvent('availability', { seatsLeft: 3 })).toBe('event: availability\ndata: {"seatsLeft":3}\n\n');
  });

  it('keeps line breaks inside strings escaped, so one message stays one data line', () => {
    const frame = sseEvent('availability', { note: 'a\nb\r\nc' });
    expect(frame).toBe('event: availability\ndata: {"note":"a\\nb\\r\\nc"}\n\n');
    expect(frame.match(/\n\n/g)).toHaveLength(1);
  });

  it('refuses an event name that would break the framing', () => {
    expect(() => sseEvent('availability\ndata: forged', {})).toThrow();
  });
});

describe('sseComment', () => {
  it('is a colon line the client ignores, ended by a blank line', () => {
    expect(sseComment('keep-alive')).toBe(': keep-alive\n\n');
  });

  it('puts each line of a multi-line comment behind its own colon', () => {
    expect(sseComment('a\nb')).toBe(': a\n: b\n\n');
  });
});
