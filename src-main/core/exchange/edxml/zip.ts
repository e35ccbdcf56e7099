import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { refuse } from './errors';

/**
 * The SDK zips each attachment (one entry) before base64 (docs/exchange.md §1). This is the
 * smallest zip that covers it: write one deflated entry; read entries through the central directory
 * with the declared sizes checked against a byte budget and a ratio cap before inflating, and the
 * inflater itself capped, so a zip bomb is refused instead of expanded.
 */
export interface ZipEntry {
  name: string;
  data: Buffer;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
/** 1980-01-01 00:00 in DOS format: fixed so the same input zips to the same bytes. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_FLAG = 0x0800;
const RATIO_FLOOR = 1024 * 1024;

export function zipOne(name: string, data: Buffer): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const body = deflateRawSync(data);
  const crc = crc32(data);
  // The local header (from byte 4) and the central entry (from byte 6) share this run of fields.
  const fields = (b: Buffer, at: number) => {
    b.writeUInt16LE(20, at);
    b.writeUInt16LE(UTF8_FLAG, at + 2);
    b.writeUInt16LE(8, at + 4);
    b.writeUInt16LE(DOS_DATE, at + 8);
    b.writeUInt32LE(crc, at + 10);
    b.writeUInt32LE(body.length, at + 14);
    b.writeUInt32LE(data.length, at + 18);
    b.writeUInt16LE(nameBytes.length, at + 22);
    return b;
  };
  const local = Buffer.alloc(30);
  local.writeUInt32LE(SIG_LOCAL, 0);
  fields(local, 4);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(SIG_CENTRAL, 0);
  central.writeUInt16LE(20, 4);
  fields(central, 6);
  const cdOffset = 30 + nameBytes.length + body.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_END, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + nameBytes.length, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, nameBytes, body, central, nameBytes, end]);
}

export function isZip(b: Buffer): boolean {
  return b.length >= 4 && b.readUInt32LE(0) === SIG_LOCAL;
}

export function zipEntryCount(zip: Buffer): number {
  return zip.readUInt16LE(findEnd(zip) + 10);
}

/** @param budget bytes the caller may still accept; decreased by what is returned. */
export function unzip(zip: Buffer, budget: { left: number }, maxRatio: number, maxEntries = 100): ZipEntry[] {
  const endAt = findEnd(zip);
  const count = zip.readUInt16LE(endAt + 10);
  if (count > maxEntries) refuse('BAD_ZIP', `${count} zip entries`);
  let p = zip.readUInt32LE(endAt + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== SIG_CENTRAL) refuse('BAD_ZIP', 'central directory entry out of place');
    const flags = zip.readUInt16LE(p + 8);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const packed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const skip = nameLen + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    const localAt = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString(flags & UTF8_FLAG ? 'utf8' : 'latin1');
    p += 46 + skip;
    if (flags & 1) refuse('BAD_ZIP', 'encrypted zip entry');
    // Small files may legitimately compress very well (blank forms); the ratio only judges large ones.
    if (size > RATIO_FLOOR && packed > 0 && size / packed > maxRatio) refuse('ZIP_BOMB', `zip entry ratio ${(size / packed).toFixed(0)}:1`);
    if (size > budget.left) refuse('ATTACHMENT_TOO_LARGE', `zip entry declares ${size} bytes`);
    if (localAt + 30 > zip.length || zip.readUInt32LE(localAt) !== SIG_LOCAL) refuse('BAD_ZIP', 'local header out of place');
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    if (dataAt + packed > zip.length) refuse('BAD_ZIP', 'entry data past the end');
    const raw = zip.subarray(dataAt, dataAt + packed);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateCapped(raw, size);
    else refuse('BAD_ZIP', `compression method ${method}`);
    if (data.length !== size) refuse('ZIP_BOMB', `zip entry inflates to ${data.length} bytes, declared ${size}`);
    if (crc32(data) !== crc) refuse('BAD_ZIP', 'zip entry CRC mismatch');
    budget.left -= size;
    out.push({ name, data });
  }
  return out;
}

function inflateCapped(raw: Buffer, declared: number): Buffer {
  try {
    // One byte over the declared size is enough to catch a lying header without expanding a bomb.
    return inflateRawSync(raw, { maxOutputLength: declared + 1 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') refuse('ZIP_BOMB', 'zip entry inflates past its declared size');
    refuse('BAD_ZIP', `inflate: ${(e as Error).message.slice(0, 100)}`);
  }
}

function findEnd(zip: Buffer): number {
  const stop = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= stop; i--) {
    if (zip.readUInt32LE(i) === SIG_END) return i;
  }
  refuse('BAD_ZIP', 'no end of central directory');
}
