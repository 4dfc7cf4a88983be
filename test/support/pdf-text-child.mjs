// Prints the text of each page of a PDF (path in argv[2]) as a JSON array, with pdfjs-dist. Run as a
// child process because pdfjs-dist is an ES module that Jest's CommonJS runtime cannot load.
import { readFileSync } from 'node:fs';

// Node 20 lacks Promise.withResolvers, which pdfjs-dist uses.
Promise.withResolvers ??= function withResolvers() {
  let resolve, reject;
  const promise = new this((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
};
const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');

const data = new Uint8Array(readFileSync(process.argv[2]));
const doc = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const pages = [];
for (let n = 1; n <= doc.numPages; n++) {
  const page = await doc.getPage(n);
  const content = await page.getTextContent();
  pages.push(
    content.items
      .map((item) => ('str' in item ? item.str : ''))
      .filter((s) => s.trim() !== '')
      .join(' | '),
  );
}
process.stdout.write(JSON.stringify(pages));
