// The text pdf.js (the viewer inside Firefox) extracts from a PDF, as JSON: one list per page of
// its text items [str, x, y, hasEOL] (x, y: the item's origin in PDF points), in the order the
// text layer joins them. Used by tests/test_makeup_copytext.py; pdfjs-dist is pinned in package.json.
// Usage: node tests/pdfjs_text.mjs file.pdf
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const data = new Uint8Array(await readFile(process.argv[2]));
const document = await getDocument({ data, useSystemFonts: false, verbosity: 0 }).promise;
const pages = [];
for (let number = 1; number <= document.numPages; number++) {
  const page = await document.getPage(number);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => [item.str, item.transform[4], item.transform[5], item.hasEOL]));
}
process.stdout.write(JSON.stringify(pages));
