import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { checkConformance } from '../../src-main/core/scan/conformance';
import { digitize } from '../../src-main/core/scan/digitize';
import { rng } from '../helpers/rng';
import { makeFixtures, type Fixtures } from './fixtures';

let fx: Fixtures;
beforeAll(async () => { fx = await makeFixtures(); }, 120_000);

/** A PNG assembled from chunks (CRCs are not checked by the reader, zlib checks the data). */
function png(ihdr: { w: number; h: number; bits?: number; type?: number }, idat: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const h = Buffer.alloc(13);
  h.writeUInt32BE(ihdr.w, 0); h.writeUInt32BE(ihdr.h, 4); h[8] = ihdr.bits ?? 8; h[9] = ihdr.type ?? 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', h), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

const refused = async (bytes: Buffer, detail: RegExp) => {
  const e = await digitize([{ name: 'x', bytes }], { fallbackDpi: 300 }).then(() => null, (err: unknown) => err);
  expect(e).toMatchObject({ code: 'INPUT_INVALID', vi: expect.stringMatching(/^(Tệp ảnh x bị hỏng|Ảnh "x" có kích thước|Tệp "x" không phải ảnh|Không đọc được ảnh "x")/) });
  expect((e as Error).message).toMatch(detail);
};

describe('hostile images and PDFs', () => {
  it('refuses truncated, oversized, lying and undecodable images with a Vietnamese message', async () => {
    const jpg = readFileSync(fx.files.colour300!);
    await refused(jpg.subarray(0, jpg.length - 2000), /truncated/);
    const huge = Buffer.from(jpg);
    const sof = huge.indexOf(Buffer.from([0xff, 0xc0]));
    huge.writeUInt16BE(60000, sof + 5); huge.writeUInt16BE(60000, sof + 7);
    await refused(huge, /outside 1\.\.300000000 pixels/);
    await refused(png({ w: 10, h: 10 }, Buffer.from('not zlib')), /does not inflate/);
    await refused(png({ w: 10, h: 10 }, deflateSync(Buffer.alloc(10 * 31 - 5))), /holds 305 bytes, 310 expected/);
    // A zlib bomb claiming a small image stops at the expected size + 1.
    await refused(png({ w: 10, h: 10 }, deflateSync(Buffer.alloc(50_000_000))), /does not inflate/);
    await refused(png({ w: 10, h: 10, bits: 7 }, deflateSync(Buffer.alloc(310))), /bit depth 7/);
    await refused(Buffer.from('GIF89a....'), /unsupported input/);
    await refused(Buffer.concat([Buffer.from('II*\0'), Buffer.alloc(64)]), /identify exited/);
  }, 60_000);

  it('checks random and damaged PDFs without crashing: PDF_INVALID or a report', () => {
    const rnd = rng(20261206);
    const good = readFileSync(fx.files.img2pdf14!);
    for (let i = 0; i < 60; i++) {
      const bytes = Buffer.from(good);
      for (let k = 0; k < 20; k++) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
      const cut = i % 3 === 0 ? bytes.subarray(0, Math.floor(rnd() * bytes.length)) : bytes;
      try {
        const r = checkConformance(cut);
        expect(typeof r.conforms).toBe('boolean');
      } catch (e) {
        expect(e).toMatchObject({ code: 'PDF_INVALID', vi: 'Tệp không phải PDF đọc được.' });
      }
    }
  });
});
