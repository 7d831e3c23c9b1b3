import { csvCell, csvLine } from './csv';

describe('csvLine', () => {
  it('joins plain cells with commas and ends the record with CRLF', () => {
    expect(csvLine(['a', 'b c', '2027-03-14T19:00:00.000Z'])).toBe('a,b c,2027-03-14T19:00:00.000Z\r\n');
  });

  it('writes an absent cell as empty', () => {
    expect(csvLine(['a', undefined, ''])).toBe('a,,\r\n');
  });
});

describe('csvCell', () => {
  it.each([
    ['Smith, Ada', '"Smith, Ada"'],
    ['Ada "The Countess" Lovelace', '"Ada ""The Countess"" Lovelace"'],
    ['two\nlines', '"two\nlines"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
  ])('quotes %j per RFC 4180', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['+33 1 23 45 67 89', "'+33 1 23 45 67 89"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
  ])('neutralizes the formula %j with a leading quote', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('leaves a formula character that is not the first one alone', () => {
    expect(csvCell('Ada=Lovelace')).toBe('Ada=Lovelace');
    expect(csvCell('Jean-Luc')).toBe('Jean-Luc');
  });

  it('keeps non-ASCII text as it is', () => {
    expect(csvCell('Zoë Ñúñez 李')).toBe('Zoë Ñúñez 李');
  });
});
