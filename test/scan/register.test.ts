/**
 * Đ10.1–10.2 "Vào sổ" as số hóa through the contract: the check refuses a failing PDF with its per-page
 * report and writes nothing; a conforming scan becomes an entry with the PDF attached, its OCR words
 * found by an accent-blind search, and the entry says whether this workstation digitised it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src-main/contract/dispatch';
import { digitizedRegistration, scanMethods } from '../../src-main/contract/scan';
import { DigitizedFiles } from '../../src-main/core/register/digitized';
import { openRegister, registerApi, type Register } from '../../src-main/core/register';
import { scanService } from '../../src-main/core/services/scan-handlers';
import { Workspace } from '../../src-main/core/workspace';
import { AGENCY } from '../register/helpers';
import { main } from '../../src-main/cli/main';
import { cliIo, makeFixtures, type Fixtures } from './fixtures';
import { FONTS, scanOf, textPage } from './ocr-corpus';

const dir = mkdtempSync(join(tmpdir(), 'vanthu-scan-register-'));
let fx: Fixtures;
let reg: Register;
let register: ReturnType<typeof registerApi>;
const ctx = { transport: 'test' } as const;
let workspace: Workspace;
let service: ReturnType<typeof scanService>;
let call: (method: string, input: unknown) => Promise<{ ok: boolean; value?: any; error?: any }>;
const record = { book: 'den', TypeName: 'Công văn', Subject: 'Về việc lưu trữ hồ sơ', OrganName: 'Sở Nội vụ', ArrivalDate: '2026-03-10' };

beforeAll(async () => {
  fx = await makeFixtures();
  const dbPath = join(dir, 'register.db');
  reg = openRegister(dbPath, { agency: AGENCY });
  register = registerApi(reg);
  workspace = new Workspace(join(dir, 'workspace'));
  const digitized = new DigitizedFiles(reg.ctx);
  service = scanService({
    workspace, dbPath, register: { 'register.add': (i) => register['register.add'](i, ctx), 'register.attach': (i) => register['register.attach'](i, ctx) },
    recordDigitized: (r) => digitized.record(r),
  });
  const dispatch = createDispatcher(scanMethods, service.handlers, { checkOutputs: true });
  call = (m, i) => dispatch(m, i, { transport: 'test' }) as never;
}, 120_000);
afterAll(() => reg?.dispose());

const entries = async () => (await register['register.list']({ book: 'den', year: 2026, page: 1, pageSize: 50 }, ctx)).total;
const search = async (text: string) => (await register['register.search']({ text, page: 1, pageSize: 50 }, ctx)).items.map((d) => d.id);

describe('Đ10.2 registering as số hóa', () => {
  it('Đ10.2, Đ17.4.c refuses a greyscale scan and a 150 dpi scan with the failing pages and why (register and agency signature); nothing is registered', async () => {
    const before = await entries();
    for (const [file, why] of [[fx.files.grey300!, 'màu'], [fx.files.colour150!, 'dpi']] as const) {
      const made = await call('digitize.assemble', { jobId: 'a', files: [workspace.put('page', readFileSync(file)).fileId] });
      expect(made.value.report.conforms).toBe(false);
      const r = await call('digitize.register', { fileId: made.value.fileId, record });
      expect(r.ok).toBe(false);
      expect(r.error.code).toBe('INPUT_INVALID');
      expect(r.error.message).toContain('Điều 10.2');
      expect(r.error.message).toMatch(new RegExp(`Trang 1: .*${why}`));
      // Đ17.4.c: recorded here but failing, so the agency signature is refused too, page by page.
      expect(() => service.requireDigitizedHere(workspace.read(made.value.fileId).bytes)).toThrow(expect.objectContaining({ code: 'SIGN_REFUSED', vi: expect.stringMatching(new RegExp(`Trang 1: .*${why}`)) }));
    }
    expect(await entries()).toBe(before);
  }, 120_000);

  it('Đ10.1 a scan digitised here with OCR is registered with its PDF; words only on the scan are found without diacritics', async () => {
    const paper = join(dir, 'paper.pdf');
    writeFileSync(paper, await textPage(FONTS['Liberation Serif'], 12));
    const scan = scanOf(paper, 200, join(dir, 'scan.png'), { noise: true });
    const made = await call('digitize.assemble', { jobId: 'b', files: [workspace.put('scan.png', readFileSync(scan)).fileId], ocr: true, name: 'cong-van.pdf' });
    expect(made.value.report.conforms).toBe(true);
    // Not in the record: only on the scanned page.
    expect(await search('khan truong')).toEqual([]);
    const r = await call('digitize.register', { fileId: made.value.fileId, record: { ...record, Description: 'Bản giấy lưu tại văn thư' } });
    expect(r.ok, JSON.stringify(r.error)).toBe(true);
    const out = digitizedRegistration.parse(r.value);
    expect(out).toMatchObject({ digitizedHere: true, source: 'import', attachment: { name: 'cong-van.pdf', sha256: made.value.sha256 } });
    for (const words of ['khan truong', 'don doc', 'toan ven', 'Giam doc So']) expect(await search(words), words).toEqual([out.document.id]);
    const detail = (await register['register.get']({ id: out.document.id }, ctx)).detail;
    expect(detail.Description).toMatch(/^Bản giấy lưu tại văn thư — Văn bản số hóa tại cơ quan \(nhập từ tệp ảnh lúc .*\), đạt tiêu chuẩn Điều 10\.2\.$/);
    expect(detail.attachments.map((a) => a.sha256)).toEqual([made.value.sha256]);
  }, 240_000);

  it('Đ17.4.c a conforming PDF digitised elsewhere is registered, and the entry says it was not digitised here', async () => {
    const elsewhere = workspace.put('elsewhere.pdf', readFileSync(fx.files.img2pdf14!));
    const r = await call('digitize.register', { fileId: elsewhere.fileId, record });
    expect(r.value).toMatchObject({ digitizedHere: false, source: null, report: { conforms: true } });
    expect((await register['register.get']({ id: r.value.document.id }, ctx)).detail.Description).toBe('Văn bản số hóa không do máy này số hóa; đạt tiêu chuẩn Điều 10.2.');
  }, 60_000);

  it('vanthu digitize register: the same call from the CLI; a failing file exits 1 with its pages, nothing registered', async () => {
    const data = join(dir, 'cli-data');
    let io = cliIo(data);
    expect(await main(['digitize', 'register', fx.files.shrunk!, '--subject', 'Bản thu nhỏ'], io), io.lines.join('\n')).toBe(1);
    expect(io.errs.join('\n')).toMatch(/Trang 1: .*/);
    io = cliIo(data);
    expect(await main(['digitize', 'register', fx.files.img2pdf14!, '--subject', 'Giấy mời', '--organ', 'Sở Tài chính', '--json'], io)).toBe(0);
    expect(JSON.parse(io.lines.join('\n'))).toMatchObject({ document: { book: 'den', number: 1, Subject: 'Giấy mời' }, digitizedHere: false, source: null });
    expect(await main(['digitize', 'register', fx.files.img2pdf14!], cliIo(data))).toBe(64);
    expect(await main(['digitize', 'register', join(dir, 'missing.pdf'), '--subject', 'x'], cliIo(data))).toBe(74);
  }, 120_000);
});
