import type { PdfFile } from '../pdf/parse/document';
import { catalog } from '../pdf/parse/acroform';
import { dictOf, PdfStream } from '../pdf/parse/objects';
import { parseCerts, type Cert } from './certs';

const MAX_DSS_ITEMS = 500;

/** Embedded validation data from the latest /DSS (PAdES B-LT). */
export interface EmbeddedRevocation { ocsps: Buffer[]; crls: Buffer[] }

function streams(file: PdfFile, key: 'Certs' | 'OCSPs' | 'CRLs'): Buffer[] {
  const rev = file.lastRevision;
  const dss = dictOf(file.resolve(catalog(file, rev)?.get('DSS'), rev));
  const arr = file.resolve(dss?.get(key), rev);
  if (!Array.isArray(arr)) return [];
  const out: Buffer[] = [];
  for (const item of arr.slice(0, MAX_DSS_ITEMS)) {
    const s = file.resolve(item, rev);
    if (!(s instanceof PdfStream)) continue;
    const data = file.streamData(s);
    if (data) out.push(data);
  }
  return out;
}

export function dssCertificates(file: PdfFile): Cert[] {
  // What is not a certificate is ignored.
  return parseCerts(streams(file, 'Certs'));
}

export function dssRevocationData(file: PdfFile): EmbeddedRevocation {
  return { ocsps: streams(file, 'OCSPs'), crls: streams(file, 'CRLs') };
}
