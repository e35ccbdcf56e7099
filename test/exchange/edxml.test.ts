import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildEdxml, EdxmlRefused, parseEdxml, STATUS_CODES, type DocumentPackage } from '../../src-main/core/exchange/edxml/index';
import { zipOne } from '../../src-main/core/exchange/edxml/zip';
import { fakePdf, sampleDocument, sampleStatus } from './samples';

const FIXTURES = join(import.meta.dirname, 'fixtures');

async function refusal(input: Parameters<typeof parseEdxml>[0], over?: Parameters<typeof parseEdxml>[1]): Promise<string> {
  try {
    await parseEdxml(input, over);
  } catch (e) {
    expect(e).toBeInstanceOf(EdxmlRefused);
    expect((e as EdxmlRefused).vi.length).toBeGreaterThan(10);
    return (e as EdxmlRefused).reason;
  }
  throw new Error('package was accepted');
}

describe('edXML codec: SDK samples', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.edxml'));
  it('has the nine status samples', () => expect(files).toHaveLength(9));
  for (const f of files) {
    it(`parses ${f}`, async () => {
      const pkg = await parseEdxml(join(FIXTURES, f));
      expect(pkg.kind).toBe('status');
      if (pkg.kind !== 'status') return;
      expect(pkg.StatusCode).toBe(/_(\d\d)\.edxml$/.exec(f)![1]);
      expect(pkg.ResponseFor.DocumentId).toBe('000.00.00.G22,2015/09/30,7816/VPCP-TTĐT');
      expect(pkg.Timestamp).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d$/);
      // Re-emitted in our layout and read back: the same model.
      expect(await parseEdxml(buildEdxml({ ...pkg, Description: pkg.Description ?? 'x' }))).toEqual({ ...pkg, Description: pkg.Description ?? 'x' });
    });
  }
});

describe('edXML codec: round trip', () => {
  for (const type of [0, 1, 2, 3]) {
    it(`document type ${type}`, async () => {
      const src = sampleDocument({ type });
      const bytes = buildEdxml(src);
      expect(bytes.subarray(0, 3).toString('hex')).not.toBe('efbbbf');
      expect(await parseEdxml(bytes)).toEqual(src);
    });
  }
  it('raw (unzipped) attachments and several recipients', async () => {
    const src = sampleDocument({ to: [{ OrganId: '000.00.02.H99', OrganName: 'B' }, { OrganId: '000.00.03.H99', OrganName: 'C' }] });
    const bytes = buildEdxml(src, { zip: false });
    expect(bytes.toString('utf8')).toContain('<ContentType>application/pdf</ContentType>');
    expect(await parseEdxml(bytes)).toEqual(src);
  });
  for (const code of STATUS_CODES) {
    it(`status ${code}`, async () => {
      const src = sampleStatus(code);
      expect(await parseEdxml(buildEdxml(src))).toEqual(src);
    });
  }
  it('reads the same model however the bytes are chunked (tags split across chunks)', async () => {
    const src = sampleDocument();
    const bytes = buildEdxml(src);
    for (const size of [1, 7, 333, 4096]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
      expect(await parseEdxml(Readable.from(chunks))).toEqual(src);
    }
  });
  it('emits the SDK layout: prefixed envelope, unprefixed AttachmentEncoded, zipped attachment', () => {
    const xml = buildEdxml(sampleDocument()).toString('utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<edXML xmlns="http:\/\/www.mic.gov.vn\/TBT\/QCVN_102_2016">/);
    expect(xml).toContain('<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">');
    expect(xml).toContain('<edXML:edXMLManifest version="1.0">');
    expect(xml).toContain('<AttachmentEncoded><Attachment><ContentId>cid:att-125-1</ContentId>');
    expect(xml).toContain('<ContentType>application/zip</ContentType><edXML:ContentTransferEncoded xmlns:edXML=');
    expect(xml.indexOf('<edXML:From>')).toBeLessThan(xml.indexOf('<edXML:To>'));
    expect(xml).toContain('<edXML:Bussiness>');
  });
});

describe('edXML codec: strict out', () => {
  const bad = (mut: (d: DocumentPackage) => void) => {
    const d = sampleDocument();
    mut(d);
    return () => buildEdxml(d);
  };
  it('refuses what breaks the strict-out rules', () => {
    expect(bad((d) => (d.header.Subject = 'x'.repeat(501)))).toThrow(/Subject/);
    expect(bad((d) => (d.header.OtherInfo.Priority = 5))).toThrow(/Priority/);
    expect(bad((d) => d.header.To.push({ ...d.header.To[0]! }))).toThrow(/duplicate To/);
    expect(bad((d) => (d.attachments = []))).toThrow(/attachment/);
    expect(bad((d) => (d.header.PromulgationInfo.PromulgationDate = '10/03/2026'))).toThrow(/PromulgationDate/);
    expect(() => buildEdxml(sampleStatus('02', { Description: undefined }))).toThrow(/Description/);
    expect(() => buildEdxml(sampleStatus('07'))).toThrow(/StatusCode/);
  });
});

describe('edXML codec: lenient in', () => {
  const xml = buildEdxml(sampleDocument(), { zip: false }).toString('utf8');
  it('reads another prefix, Business spelling, missing cid:, other date forms, "1" for "01"', async () => {
    const variant = xml
      .replaceAll('edXML:', 'ns0:').replaceAll('xmlns:edXML=', 'xmlns:ns0=')
      .replaceAll('Bussiness', 'Business')
      .replaceAll('<ContentId>cid:', '<ContentId>')
      .replace('<ns0:PromulgationDate>2026/03/10</ns0:PromulgationDate>', '<ns0:PromulgationDate>10/03/2026</ns0:PromulgationDate>');
    expect(variant).not.toContain('edXML:');
    expect(await parseEdxml(Buffer.from(variant))).toEqual(sampleDocument());
    const status = buildEdxml(sampleStatus('01')).toString('utf8').replace('<edXML:StatusCode>01<', '<edXML:StatusCode>1<');
    expect(await parseEdxml(Buffer.from(status))).toMatchObject({ StatusCode: '01' });
  });
  it('keeps an unknown status code raw', async () => {
    const status = buildEdxml(sampleStatus('01')).toString('utf8').replace('>01</edXML:StatusCode>', '>09</edXML:StatusCode>');
    expect(await parseEdxml(Buffer.from(status))).toMatchObject({ StatusCode: '09' });
  });
  it('refuses a package missing a required field, naming it', async () => {
    await expect(parseEdxml(Buffer.from(xml.replace(/<edXML:Subject>[^<]*<\/edXML:Subject>/, '')))).rejects.toThrow(/MessageHeader\/Subject/);
  });
});

describe('edXML codec: hostile packages', () => {
  const NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
  it('XXE', async () => {
    const x = `<?xml version="1.0"?>\n<!DOCTYPE edXML [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<edXML xmlns="${NS}">&xxe;</edXML>`;
    expect(await refusal(Buffer.from(x))).toBe('DTD_FORBIDDEN');
  });
  it('billion laughs', async () => {
    const ents = Array.from({ length: 9 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join('');
    const x = `<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY l0 "lol">${ents}]><edXML xmlns="${NS}">&l9;</edXML>`;
    expect(await refusal(Buffer.from(x))).toBe('DTD_FORBIDDEN');
  });
  it('an undeclared entity', async () => {
    expect(await refusal(Buffer.from(`<edXML xmlns="${NS}">&nbsp;</edXML>`))).toBe('ENTITY_FORBIDDEN');
  });
  it('a 500 MB base64 claim stops at the per-package limit without reading it all', async () => {
    const head = buildEdxml(sampleDocument(), { zip: false }).toString('utf8').split(/(?<=<edXML:ContentTransferEncoded[^>]*>)/)[0]!;
    const line = Buffer.from('QUFB'.repeat(16384)); // 64 KiB of base64
    let sent = 0;
    const total = 500 * 1024 * 1024;
    const stream = Readable.from((function* () {
      yield Buffer.from(head);
      while (sent < total) {
        sent += line.length;
        yield line;
      }
      yield Buffer.from('</edXML:ContentTransferEncoded></Attachment></AttachmentEncoded></edXML>');
    })());
    expect(await refusal(stream)).toBe('ATTACHMENT_TOO_LARGE');
    expect(sent).toBeLessThan(80 * 1024 * 1024);
  });
  it('a file larger than the package limit is refused before reading', async () => {
    expect(await refusal(Buffer.alloc(2048, 0x20), { maxPackageBytes: 1024 })).toBe('TOO_LARGE');
  });
  it('wrong namespace, wrong root', async () => {
    const xml = buildEdxml(sampleStatus('01')).toString('utf8');
    expect(await refusal(Buffer.from(xml.replaceAll(NS, 'http://www.go.vn/eDoc')))).toBe('WRONG_NAMESPACE');
    expect(await refusal(Buffer.from(`<EdXMLEnvelope xmlns="${NS}"/>`))).toBe('WRONG_ROOT');
  });
  it('zip bomb (ratio) and zip with a lying size', async () => {
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    const bomb = zipOne('bomb.pdf', zeros);
    expect(bomb.length).toBeLessThan(200_000);
    const withZip = (z: Buffer) => {
      const xml = buildEdxml(sampleDocument(), { zip: false }).toString('utf8');
      return Buffer.from(xml.replace('<ContentType>application/pdf</ContentType>', '<ContentType>application/zip</ContentType>')
        .replace(/(<edXML:ContentTransferEncoded[^>]*>)[^<]*/, `$1${z.toString('base64')}`));
    };
    expect(await refusal(withZip(bomb))).toBe('ZIP_BOMB');
    // A small file that compresses very well (a blank form) is not a bomb.
    const blank = Buffer.concat([fakePdf('blank'), Buffer.alloc(900 * 1024, 0x20)]);
    const ok = await parseEdxml(buildEdxml(sampleDocument({ attachments: [{ ContentId: 'b', AttachmentName: 'blank.pdf', ContentType: 'application/pdf', data: blank }] })));
    expect(ok.kind === 'edoc' && ok.attachments[0]!.data.equals(blank)).toBe(true);
    const small = zipOne('x.pdf', Buffer.alloc(1024 * 1024));
    const lying = Buffer.from(small);
    const nameLen = 'x.pdf'.length;
    lying.writeUInt32LE(100, 22);
    const cd = lying.length - 22 - 46 - nameLen;
    lying.writeUInt32LE(100, cd + 24);
    expect(await refusal(withZip(lying))).toBe('ZIP_BOMB');
  });
  it('too deep, too many elements, attribute too long, bad base64', async () => {
    const deep = `<edXML xmlns="${NS}">${'<a>'.repeat(40)}${'</a>'.repeat(40)}</edXML>`;
    expect(await refusal(Buffer.from(deep))).toBe('TOO_DEEP');
    expect(await refusal(Buffer.from(`<edXML xmlns="${NS}">${'<a/>'.repeat(30)}</edXML>`), { maxElements: 20 })).toBe('TOO_MANY_ELEMENTS');
    expect(await refusal(Buffer.from(`<edXML xmlns="${NS}" a="${'x'.repeat(2000)}"/>`))).toBe('ATTRIBUTE_TOO_LONG');
    const xml = buildEdxml(sampleDocument({ attachments: [{ ContentId: 'a', AttachmentName: 'a.pdf', ContentType: 'application/pdf', data: fakePdf('a') }] }), { zip: false }).toString('utf8');
    expect(await refusal(Buffer.from(xml.replace(/(<edXML:ContentTransferEncoded[^>]*>)/, '$1*!')))).toBe('BAD_BASE64');
  });
});
