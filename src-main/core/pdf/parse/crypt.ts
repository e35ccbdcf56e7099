/**
 * The standard security handler (ISO 32000-2 §7.6.4), read-only and for the empty user password only:
 * "protected" PDFs that open without a password (permissions set by an owner password) are decrypted
 * for reading — RC4 40/128 (R2–R4), AES-128 (AESV2) and AES-256 (R5/R6, AESV3). A file whose user
 * password is not empty cannot be read without it, and the verifier says so.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { dictOf, isName, PdfDict, PdfName, PdfString, type PdfObject } from './objects';

export type CryptMethod = 'none' | 'RC4' | 'AESV2' | 'AESV3';

export interface EncryptionInfo {
  /** R of the standard handler, or the /Filter name of an unsupported one. */
  handler: string;
  method: CryptMethod;
  keyBits: number;
  /** The empty user password does not open the file. */
  needsPassword: boolean;
  /** A handler or algorithm this reader does not implement (public-key, unknown crypt filter). */
  unsupported: boolean;
}

const PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

/** RC4 (kept here: OpenSSL 3 moved it to the legacy provider Node does not load). */
function rc4(key: Buffer, data: Buffer): Buffer {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

function aesDecrypt(key: Buffer, data: Buffer): Buffer {
  if (data.length < 32 || data.length % 16 !== 0) return Buffer.alloc(0);
  const bits = key.length * 8;
  const iv = data.subarray(0, 16);
  const body = data.subarray(16);
  try {
    const d = createDecipheriv(`aes-${bits}-cbc`, key, iv);
    return Buffer.concat([d.update(body), d.final()]);
  } catch {
    // Bad PKCS#5 padding: some writers omit it; keep the blocks as they are.
    const d = createDecipheriv(`aes-${bits}-cbc`, key, iv).setAutoPadding(false);
    return Buffer.concat([d.update(body), d.final()]);
  }
}

const bytesOf = (o: PdfObject | undefined): Buffer => (o instanceof PdfString ? o.bytes : Buffer.alloc(0));
const num = (o: PdfObject | undefined, d: number): number => (typeof o === 'number' && Number.isFinite(o) ? o : d);

/** Algorithm 2.B (R6): the iterated SHA-2 hash of a password with a salt. */
function hashR6(password: Buffer, salt: Buffer, udata: Buffer): Buffer {
  let k = createHash('sha256').update(password).update(salt).update(udata).digest();
  for (let round = 0; ; round++) {
    const k1 = Buffer.concat(Array(64).fill(Buffer.concat([password, k, udata])) as Buffer[]);
    const c = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32)).setAutoPadding(false);
    const e = Buffer.concat([c.update(k1), c.final()]);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i]!;
    k = createHash(['sha256', 'sha384', 'sha512'][sum % 3]!).update(e).digest();
    // pdf.js and qpdf: stop once 64 rounds are done and the last byte of E is at most (rounds done − 32).
    if (round + 1 >= 64 && e[e.length - 1]! <= round + 1 - 32) break;
  }
  return k.subarray(0, 32);
}

/**
 * Opens the standard handler with the empty user password. Returns the file key (or null with the
 * reason in `info`).
 */
export class Decryptor {
  readonly info: EncryptionInfo;
  private readonly key: Buffer | null = null;
  private readonly stmMethod: CryptMethod = 'none';
  private readonly strMethod: CryptMethod = 'none';
  private readonly encryptMetadata: boolean;

  constructor(enc: PdfDict, id0: Buffer, resolve: (o: PdfObject | undefined) => PdfObject | undefined) {
    const filter = enc.get('Filter');
    const v = num(enc.get('V'), 0);
    const r = num(enc.get('R'), 0);
    this.encryptMetadata = enc.get('EncryptMetadata') !== false;
    const keyBits = v === 1 ? 40 : num(enc.get('Length'), 40);
    this.info = { handler: isName(filter, 'Standard') ? `Standard R${r}` : filter instanceof PdfName ? filter.name : '?', method: 'none', keyBits, needsPassword: false, unsupported: false };
    if (!isName(filter, 'Standard') || ![2, 3, 4, 5, 6].includes(r)) { this.info.unsupported = true; return; }
    const methodOf = (name: PdfObject | undefined): CryptMethod | null => {
      if (v < 4) return 'RC4';
      if (!(name instanceof PdfName) || name.name === 'Identity') return 'none';
      const cf = dictOf(resolve(dictOf(resolve(enc.get('CF')) ?? undefined)?.get(name.name)) ?? undefined);
      const cfm = cf?.get('CFM');
      if (isName(cfm, 'V2')) return 'RC4';
      if (isName(cfm, 'AESV2')) return 'AESV2';
      if (isName(cfm, 'AESV3')) return 'AESV3';
      if (isName(cfm, 'None')) return 'none';
      return null;
    };
    const stm = methodOf(enc.get('StmF'));
    const str = methodOf(enc.get('StrF'));
    if (stm === null || str === null) { this.info.unsupported = true; return; }
    this.stmMethod = stm;
    this.strMethod = str;
    this.info.method = stm !== 'none' ? stm : str;
    const o = bytesOf(resolve(enc.get('O')));
    const u = bytesOf(resolve(enc.get('U')));
    const empty = Buffer.alloc(0);
    if (r >= 5) {
      this.info.keyBits = 256;
      if (u.length < 48) { this.info.unsupported = true; return; }
      const hash = (salt: Buffer) => (r === 6 ? hashR6(empty, salt, empty) : createHash('sha256').update(salt).digest());
      if (!hash(u.subarray(32, 40)).equals(u.subarray(0, 32))) { this.info.needsPassword = true; return; }
      const ue = bytesOf(resolve(enc.get('UE')));
      if (ue.length !== 32) { this.info.unsupported = true; return; }
      const d = createDecipheriv('aes-256-cbc', hash(u.subarray(40, 48)), Buffer.alloc(16)).setAutoPadding(false);
      this.key = Buffer.concat([d.update(ue), d.final()]);
      return;
    }
    const n = r === 2 ? 5 : Math.min(16, Math.max(5, Math.floor(keyBits / 8)));
    const p = Buffer.alloc(4);
    p.writeInt32LE(num(enc.get('P'), 0) | 0);
    const h = createHash('md5').update(PAD).update(o.subarray(0, 32)).update(p).update(id0);
    if (r >= 4 && !this.encryptMetadata) h.update(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    let key = h.digest();
    if (r >= 3) for (let i = 0; i < 50; i++) key = createHash('md5').update(key.subarray(0, n)).digest();
    key = key.subarray(0, n);
    let check: Buffer;
    if (r === 2) check = rc4(key, PAD);
    else {
      check = rc4(key, createHash('md5').update(PAD).update(id0).digest());
      for (let i = 1; i <= 19; i++) check = rc4(Buffer.from(key.map((b) => b ^ i)), check);
    }
    const expected = r === 2 ? u.subarray(0, 32) : u.subarray(0, 16);
    if (!check.subarray(0, expected.length).equals(expected)) { this.info.needsPassword = true; return; }
    this.key = key;
  }

  /** Whether objects can be decrypted (the empty user password opened the file). */
  get open(): boolean { return this.key !== null; }

  private objectKey(method: CryptMethod, objNum: number, gen: number): Buffer {
    const key = this.key!;
    if (method === 'AESV3') return key;
    const extra = Buffer.from([objNum & 0xff, (objNum >> 8) & 0xff, (objNum >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
    const h = createHash('md5').update(key).update(extra);
    if (method === 'AESV2') h.update('sAlT', 'latin1');
    return h.digest().subarray(0, Math.min(key.length + 5, 16));
  }

  private run(method: CryptMethod, objNum: number, gen: number, data: Buffer): Buffer {
    if (method === 'none' || !this.key) return data;
    const k = this.objectKey(method, objNum, gen);
    return method === 'RC4' ? rc4(k, data) : aesDecrypt(k, data);
  }

  streamBytes(objNum: number, gen: number, dict: PdfDict, raw: Buffer): Buffer {
    if (isName(dict.get('Type'), 'XRef')) return raw;
    if (!this.encryptMetadata && isName(dict.get('Type'), 'Metadata')) return raw;
    return this.run(this.stmMethod, objNum, gen, raw);
  }

  /**
   * Decrypts the strings of one indirect object in place. A signature dictionary's /Contents is never
   * encrypted (ISO 32000-2 §7.6.2), so it is left as written.
   */
  objectStrings(objNum: number, gen: number, value: PdfObject, depth = 0): PdfObject {
    if (depth > 64) return value;
    if (value instanceof PdfString) return new PdfString(this.run(this.strMethod, objNum, gen, value.bytes), value.hex, value.start, value.end);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.objectStrings(objNum, gen, value[i]!, depth + 1);
      return value;
    }
    const d = dictOf(value ?? undefined);
    if (d) {
      const isSig = d.has('ByteRange') && (isName(d.get('Type'), 'Sig') || isName(d.get('Type'), 'DocTimeStamp') || d.has('SubFilter'));
      for (const [k, v] of d.map) if (!(isSig && k === 'Contents')) d.map.set(k, this.objectStrings(objNum, gen, v, depth + 1));
    }
    return value;
  }
}
