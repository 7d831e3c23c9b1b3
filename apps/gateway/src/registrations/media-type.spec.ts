import { preferredMediaType } from './media-type';

const TICKET = ['application/json', 'image/svg+xml', 'image/png'] as const;

describe('preferredMediaType', () => {
  it.each([
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['*/*', 'application/json'],
    ['application/json', 'application/json'],
    ['image/svg+xml', 'image/svg+xml'],
    ['image/png', 'image/png'],
    ['IMAGE/PNG', 'image/png'],
    ['image/*', 'image/svg+xml'],
    ['image/png, image/svg+xml;q=0.5', 'image/png'],
    ['image/png;q=0.4, */*;q=0.5', 'application/json'],
    ['text/html,application/xhtml+xml,*/*;q=0.8', 'application/json'],
    ['image/avif,image/webp,image/png,image/svg+xml,image/*,*/*;q=0.8', 'image/svg+xml'],
    ['image/*, image/svg+xml;q=0', 'image/png'],
    ['application/json; charset=utf-8', 'application/json'],
  ])('Accept %j → %s', (accept, expected) => {
    expect(preferredMediaType(accept, TICKET)).toBe(expected);
  });

  it.each(['text/html', 'image/png;q=0', 'text/*', 'nonsense', 'image/png;q=2'])(
    'finds nothing acceptable in %j',
    (accept) => {
      expect(preferredMediaType(accept, TICKET)).toBeUndefined();
    },
  );

  it('chooses CSV for a spreadsheet client and JSON for anybody else', () => {
    const formats = ['application/json', 'text/csv'] as const;
    expect(preferredMediaType('text/csv', formats)).toBe('text/csv');
    expect(preferredMediaType('text/csv;q=0.9, application/json', formats)).toBe('application/json');
    expect(preferredMediaType('application/json, text/plain, */*', formats)).toBe('application/json');
  });
});
