import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import signpdfModule from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { loadPki } from '../helpers/pki';

const signpdf = (signpdfModule as unknown as { default?: typeof signpdfModule }).default ?? signpdfModule;

export type P12Name = 'agency' | 'leader2' | 'rogue-leader' | 'wrong-ku';

export interface SignOptions {
  p12?: P12Name;
  /** [x1, y1, x2, y2]; default invisible. */
  widgetRect?: [number, number, number, number];
  signingTime?: Date;
  subFilter?: 'adbe.pkcs7.detached' | 'ETSI.CAdES.detached';
  name?: string;
  reason?: string;
}

/**
 * Signs with @signpdf (an independent signer): placeholder-plain appends an incremental update with the
 * field, widget and signature dictionary, then the P12 key signs. Works on classic-xref files only.
 */
export async function signWithP12(pdf: Buffer, opts: SignOptions = {}): Promise<Buffer> {
  const pki = loadPki();
  const withPlaceholder = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: opts.reason ?? 'Phê duyệt',
    contactInfo: 'vanthu@example.vn',
    name: opts.name ?? 'Nguyễn Văn An',
    location: 'Hà Nội',
    signingTime: opts.signingTime,
    signatureLength: 8192,
    subFilter: opts.subFilter ?? 'adbe.pkcs7.detached',
    widgetRect: opts.widgetRect ?? [0, 0, 0, 0],
  });
  const signer = new P12Signer(readFileSync(join(pki.p12, `${opts.p12 ?? 'leader2'}.p12`)), { passphrase: pki.p12Password });
  return Buffer.from(await signpdf.sign(withPlaceholder, signer, opts.signingTime));
}
