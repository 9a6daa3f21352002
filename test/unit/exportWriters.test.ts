/** Issue 16: the CSV lines of an export (web/exports/writers.ts): RFC 4180 quoting, and no formula from a text cell. */
import { csvLine, exportLinks } from '../../web/exports/writers';

test('quotes what needs quoting and leaves the rest', () => {
  expect(csvLine(['甲金属制品有限公司', 40, undefined, 'a,b', 'say "hi"', 'two\nlines'])).toBe(
    '甲金属制品有限公司,40,,"a,b","say ""hi""","two\nlines"\r\n',
  );
});

test('a text cell that a spreadsheet would run as a formula is written as text (a leading apostrophe)', () => {
  expect(csvLine(['=HYPERLINK("http://evil.example","x")', '+1', '-2', '@SUM(A1)', -3, 'ok'])).toBe(
    `"'=HYPERLINK(""http://evil.example"",""x"")",'+1,'-2,'@SUM(A1),-3,ok\r\n`,
  );
});

test("a page's export links keep its filters, not its page number", () => {
  expect(exportLinks('/exports/inbox', { level: 'red', page: '3', region: '', format: 'csv' })).toEqual({
    xlsx: '/exports/inbox?level=red&format=xlsx',
    csv: '/exports/inbox?level=red&format=csv',
  });
});
