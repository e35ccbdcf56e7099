import { randomBytes } from 'node:crypto';

/**
 * `multipart/form-data` with one file part, as `/sendEdoc` takes it (part `file_doc`, docs/exchange.md
 * §2). Building and reading live together so client and reference hub agree on one format.
 */
export function buildMultipart(field: string, fileName: string, data: Buffer): { contentType: string; body: Buffer } {
  const boundary = `----vanthu${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName.replace(/["\r\n]/g, '_')}"\r\nContent-Type: application/xml\r\n\r\n`, 'utf8');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([head, data, tail]) };
}

/** The bytes of the named part, or null when the body has no such part. */
export function readMultipart(contentType: string | undefined, body: Buffer, field: string): Buffer | null {
  const m = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType ?? '');
  if (!m) return null;
  const delimiter = Buffer.from(`--${m[1] ?? m[2]}`, 'utf8');
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const headStart = at + delimiter.length + 2;
    const headEnd = body.indexOf('\r\n\r\n', headStart);
    if (headEnd < 0) return null;
    const next = body.indexOf(delimiter, headEnd + 4);
    if (next < 0) return null;
    const head = body.subarray(headStart, headEnd).toString('utf8');
    if (new RegExp(`name="${field}"`).test(head)) return body.subarray(headEnd + 4, next - 2);
    at = next;
  }
  return null;
}
