import { csvCell, csvDocument } from './csv';

describe('csvCell', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+31 20 555', "'+31 20 555"],
    ['-neg-partner', "'-neg-partner"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\tindented', "'\tindented"],
    ['=HYPERLINK("https://evil.example","x")', `"'=HYPERLINK(""https://evil.example"",""x"")"`],
  ])('neutralises the text %j as %s', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it('writes numbers as numbers, negative ones included, and other text as it is', () => {
    expect(csvCell(-485)).toBe('-485');
    expect(csvCell(0)).toBe('0');
    expect(csvCell('amy')).toBe('amy');
    expect(csvCell('a, "b"')).toBe('"a, ""b"""');
    expect(csvCell('2026-02-15T10:00:00.000Z')).toBe('2026-02-15T10:00:00.000Z');
    expect(csvCell(null)).toBe('');
  });

  it('joins a line', () => {
    expect(csvDocument(['a', 'b', 'c', 'd'], [['-x', -1, null, 'ok']])).toBe("a,b,c,d\r\n'-x,-1,,ok\r\n");
  });
});
