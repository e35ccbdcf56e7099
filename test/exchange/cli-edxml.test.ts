import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import edxmlCmd from '../../src-main/cli/commands/edxml';
import { fakePdf, sampleDocument } from './samples';
import { captureIo, tempDir } from './helpers';

describe('vanthu edxml', () => {
  it('builds from a spec and parses back with attachment hashes', async () => {
    const dir = tempDir();
    const pdf = fakePdf('cli', 5000);
    writeFileSync(join(dir, 'main.pdf'), pdf);
    const { attachments: _a, ...model } = sampleDocument();
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ ...model, attachments: [{ path: 'main.pdf', Description: 'Văn bản chính' }] }));
    const b = captureIo();
    expect(await edxmlCmd(['build', join(dir, 'spec.json'), '-o', join(dir, 'out.edxml')], b)).toBe(0);
    const p = captureIo();
    expect(await edxmlCmd(['parse', join(dir, 'out.edxml'), '--json'], p)).toBe(0);
    const s = JSON.parse(p.lines.join('\n'));
    expect(s).toMatchObject({ kind: 'edoc', DocumentId: model.header.DocumentId, Subject: model.header.Subject, Code: { CodeNumber: '125', CodeNotation: 'SNV-VP' } });
    expect(s.attachments).toEqual([{ ContentId: 'att1', AttachmentName: 'main.pdf', ContentType: 'application/pdf', Description: 'Văn bản chính', size: pdf.length, sha256: createHash('sha256').update(pdf).digest('hex') }]);
    const text = captureIo();
    expect(await edxmlCmd(['parse', join(dir, 'out.edxml')], text)).toBe(0);
    expect(text.lines.join('\n')).toContain(`Đính kèm: main.pdf  ${pdf.length} byte`);
  });
  it('exits 1 with a reason on a refused package; an invalid spec writes nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.edxml'), '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">&e;</edXML>');
    const p = captureIo();
    expect(await edxmlCmd(['parse', join(dir, 'x.edxml')], p)).toBe(1);
    expect(p.errors[0]).toMatch(/^Từ chối gói tin: Gói tin chứa khai báo DTD/);
    const { attachments: _a, ...model } = sampleDocument();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...model, header: { ...model.header, Subject: '' }, attachments: [] }));
    const b = captureIo();
    expect(await edxmlCmd(['build', join(dir, 'bad.json'), '-o', join(dir, 'bad.edxml')], b)).toBe(1);
    expect(existsSync(join(dir, 'bad.edxml'))).toBe(false);
    expect(await edxmlCmd(['nope'], captureIo())).toBe(64);
  });
});
