import { deflateSync } from 'node:zlib';

/** A minimal classic-xref PDF from object bodies (1-based numbering); `extraTrailer` goes into the trailer. */
export function rawPdf(bodies: Array<string | Buffer>, extraTrailer = ''): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let pos = parts[0]!.length;
  const offsets: number[] = [];
  bodies.forEach((b, i) => {
    offsets.push(pos);
    const chunk = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), typeof b === 'string' ? Buffer.from(b, 'latin1') : b, Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    pos += chunk.length;
  });
  const xref = `xref\n0 ${bodies.length + 1}\n0000000000 65535 f\r\n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n\r\n`).join('')}trailer\n<</Size ${bodies.length + 1} /Root 1 0 R${extraTrailer}>>\nstartxref\n${pos}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}

const catalogAndPage = ['<</Type /Catalog /Pages 2 0 R>>', '<</Type /Pages /Kids [3 0 R] /Count 1>>', '<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>>'];

/** Two xref sections whose /Prev point at each other. */
export function prevLoop(): Buffer {
  const base = rawPdf(catalogAndPage, ' /Prev 0000000000');
  const first = base.lastIndexOf('\nxref\n') + 1;
  const at = base.length;
  const out = Buffer.concat([base, Buffer.from(`xref\n0 1\n0000000000 65535 f\r\ntrailer\n<</Size 4 /Root 1 0 R /Prev ${first}>>\nstartxref\n${at}\n%%EOF\n`, 'latin1')]);
  // The first section's /Prev now points forward at the second: a loop.
  out.write(String(at).padStart(10, '0'), out.indexOf('/Prev 0000000000', 0, 'latin1') + 6, 'latin1');
  return out;
}

/** An array nested `depth` levels deep inside the catalog. */
export function deepNesting(depth: number): Buffer {
  return rawPdf([`<</Type /Catalog /Pages 2 0 R /X ${'['.repeat(depth)}${']'.repeat(depth)}>>`, ...catalogAndPage.slice(1)]);
}

/** A FlateDecode stream that inflates to `mb` megabytes of zeros, used as the page content. */
export function compressionBomb(mb: number): Buffer {
  const z = deflateSync(Buffer.alloc(mb * 1024 * 1024), { level: 9 });
  const stream = Buffer.concat([Buffer.from(`<</Length ${z.length} /Filter /FlateDecode>>\nstream\n`), z, Buffer.from('\nendstream')]);
  return rawPdf(['<</Type /Catalog /Pages 2 0 R>>', '<</Type /Pages /Kids [3 0 R] /Count 1>>', '<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R>>', stream]);
}

/** An xref stream that is itself a decompression bomb. */
export function xrefStreamBomb(mb: number): Buffer {
  const head = Buffer.from('%PDF-1.7\n1 0 obj\n<</Type /Catalog>>\nendobj\n', 'latin1');
  const z = deflateSync(Buffer.alloc(mb * 1024 * 1024), { level: 9 });
  const at = head.length;
  const obj = Buffer.concat([Buffer.from(`2 0 obj\n<</Type /XRef /Size 3 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length ${z.length}>>\nstream\n`), z, Buffer.from('\nendstream\nendobj\n')]);
  return Buffer.concat([head, obj, Buffer.from(`startxref\n${at}\n%%EOF\n`)]);
}

/** A signature field whose /Contents is an absurd hex string and whose /ByteRange is huge. */
export function absurdContents(hexBytes: number): Buffer {
  return rawPdf([
    '<</Type /Catalog /Pages 2 0 R /AcroForm <</Fields [4 0 R] /SigFlags 3>>>>',
    '<</Type /Pages /Kids [3 0 R] /Count 1>>',
    '<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R]>>',
    '<</Type /Annot /Subtype /Widget /FT /Sig /T (S) /V 5 0 R /Rect [0 0 0 0] /P 3 0 R>>',
    `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 99999999999 99999999999 99999999999] /Contents <${'30'.repeat(hexBytes)}>>>`,
  ]);
}

/** `n` empty incremental updates chained by /Prev. */
export function manyRevisions(n: number): Buffer {
  let pdf = rawPdf(catalogAndPage);
  for (let i = 0; i < n; i++) {
    const prev = pdf.lastIndexOf('\nxref\n') + 1;
    const at = pdf.length;
    pdf = Buffer.concat([pdf, Buffer.from(`xref\n0 1\n0000000000 65535 f\r\ntrailer\n<</Size 4 /Root 1 0 R /Prev ${prev}>>\nstartxref\n${at}\n%%EOF\n`, 'latin1')]);
  }
  return pdf;
}

/** A reference chain a → b → c … of length n (each object is just a reference to the next). */
export function referenceChain(n: number): Buffer {
  const bodies = ['<</Type /Catalog /Pages 2 0 R /AcroForm 4 0 R>>', ...catalogAndPage.slice(1)];
  for (let i = 0; i < n; i++) bodies.push(`${bodies.length + 2} 0 R`);
  bodies.push('<</Fields []>>');
  return rawPdf(bodies);
}

/** Deterministic PRNG for the fuzz test. */
export { rng } from '../helpers/rng';

const TOKENS = ['<<', '>>', '[', ']', '0 0 R', '9999 0 R', '/Prev 0', 'startxref\n0\n%%EOF', 'endobj', 'stream\n', 'endstream', '/Length 999999999', '(', ')', '<', '>', '/ByteRange [0 1 2 3]', 'xref\n0 1\n', '%%EOF\n', '1 0 obj', '-1', '1e308'];

/** One random mutation of `pdf`. */
export function mutate(pdf: Buffer, r: () => number): Buffer {
  const at = Math.floor(r() * pdf.length);
  switch (Math.floor(r() * 6)) {
    case 0: { const out = Buffer.from(pdf); for (let i = 0; i < 1 + Math.floor(r() * 8); i++) { const p = Math.floor(r() * out.length); out[p] = Math.floor(r() * 256); } return out; }
    case 1: return Buffer.concat([pdf.subarray(0, at), pdf.subarray(Math.min(pdf.length, at + Math.floor(r() * 200)))]);
    case 2: { const len = Math.floor(r() * 300); return Buffer.concat([pdf.subarray(0, at), pdf.subarray(at, at + len), pdf.subarray(at)]); }
    case 3: return Buffer.concat([pdf.subarray(0, at), Buffer.from(TOKENS[Math.floor(r() * TOKENS.length)]!, 'latin1'), pdf.subarray(at)]);
    case 4: return pdf.subarray(0, at);
    default: {
      // Corrupt a number near a keyword that matters (xref offsets, /Length, /ByteRange, /Prev).
      const text = pdf.toString('latin1');
      const keys = ['/Length ', '/Prev ', 'startxref\n', '/ByteRange [', '/Size '];
      const k = keys[Math.floor(r() * keys.length)]!;
      const idx = text.indexOf(k, Math.floor(r() * text.length * 0.9));
      if (idx < 0) return pdf;
      const out = Buffer.from(pdf);
      out.write(String(Math.floor(r() * 10)), idx + k.length, 'latin1');
      return out;
    }
  }
}

/** A page whose resources name a form XObject 99 0 R that the file does not define (dangling). */
export function danglingBase(): Buffer {
  const content = 'BT /F1 12 Tf 72 700 Td (Signed text) Tj ET q 1 0 0 1 72 500 cm /X9 Do Q';
  return rawPdf([
    '<</Type /Catalog /Pages 2 0 R>>',
    '<</Type /Pages /Kids [3 0 R] /Count 1>>',
    '<</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources <</Font <</F1 5 0 R>> /XObject <</X9 99 0 R>>>>>>',
    `<</Length ${content.length}>>\nstream\n${content}\nendstream`,
    '<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>',
  ]);
}
