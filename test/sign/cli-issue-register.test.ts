/**
 * `vanthu sign issue --book` on the SoftHSM tokens: the number comes from the sổ đi in --db, the issued
 * document is recorded there with its file, and `vanthu register search` on the same --db finds it by
 * its number and ký hiệu. A number the series already gave is refused with nothing written.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { yearInVietnam } from '../../src-main/contract/time';
import { demoSettings } from '../../src-main/core/config';
import { openRegister } from '../../src-main/core/register/index';
import { loadPki, repoRoot } from '../helpers/pki';
import { runCli } from './helpers/cli';
import { tempDir, writeSample } from './helpers/fixtures';

const pki = loadPki();
const dir = tempDir('cli-issue-register');
afterAll(() => rmSync(dir, { recursive: true, force: true }));


// Agency settings whose OCSP and CRL addresses answer nothing: the leader's revocation status is unknown
// whatever else runs on this machine, so --accept-unknown-revocation is the clerk's choice the register records.
const dead = 'http://127.0.0.1:9/nothing';
const config = join(dir, 'agency.json');
writeFileSync(config, JSON.stringify({ ...demoSettings({ ...process.env, VANTHU_DATA_DIR: join(dir, 'data'), VANTHU_TEST_PKI: pki.dir }), demo: false, ocspUrlOverride: dead, crlUrlOverride: dead }));
const env = { VANTHU_PIN: pki.userPin, SOFTHSM2_CONF: pki.softhsm2Conf, VANTHU_DATA_DIR: join(dir, 'data'), VANTHU_CONFIG: config };
const token = (label: string, keyId: string) => ['--module', pki.module, '--token', label, '--key-id', keyId];
const db = join(dir, 'so-di.db');
const year = yearInVietnam();

describe('vanthu sign issue --book (cấp số from the register)', () => {
  it('Đ15 two issues get consecutive numbers of the sổ, are recorded with their files (the clerk\'s --accept-unknown-revocation audited with them), and register search finds them by số and ký hiệu', async () => {
    const input = await writeSample(dir, 'draft.pdf');
    const approved = join(dir, 'approved.pdf');
    const img = join(repoRoot, 'resources/images/sample-signature-blue.png');
    const chain = join(pki.certs, 'issuing-ca.crt');
    const a = await runCli(['sign', 'approve', input, '-o', approved, '--image', img, '--chain', chain, ...token(pki.tokens.leader, pki.keyIds.leader)], env);
    expect(a.status, a.stderr).toBe(0);

    const issue = (out: string, extra: string[] = []) => runCli(['sign', 'issue', approved, '-o', out, '--book', 'di-qd', '--db', db, '--date', `${year}-05-04`,
      '--to', 'Sở Nội vụ', '--to', 'Sở Tư pháp', '--accept-unknown-revocation', '--chain', chain, '--json', ...extra, ...token(pki.tokens.agency, pki.keyIds.agency)], env);
    const one = await issue(join(dir, 'one.pdf'));
    expect(one.status, one.stderr).toBe(0);
    const two = await issue(join(dir, 'two.pdf'));
    expect(two.status, two.stderr).toBe(0);
    const r1 = JSON.parse(one.stdout) as { registered: { number: number; code: string; docId: number }; issued: { number: string }; sha256: string };
    const r2 = JSON.parse(two.stdout) as { registered: { number: number; code: string; docId: number }; issued: { number: string }; sha256: string };
    expect([r1.registered.code, r2.registered.code]).toEqual(['01/QĐ-UBND', '02/QĐ-UBND']);
    expect([r1.issued.number, r2.issued.number]).toEqual(['01', '02']);

    const dup = join(dir, 'dup.pdf');
    const refused = await issue(dup, ['--number', '2']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('Số 02 đã được cấp');
    expect(existsSync(dup)).toBe(false);

    const search = await runCli(['register', 'search', '02/QĐ-UBND', '--db', db, '--json'], env);
    expect(search.status, search.stderr).toBe(0);
    const found = JSON.parse(search.stdout) as { items: Array<{ id: number; code: string; state: string; direction: string }> };
    expect(found.items[0]).toMatchObject({ id: r2.registered.docId, code: '02/QĐ-UBND', state: 'issued', direction: 'di' });

    // The entry holds the issued file itself, and its Nơi nhận.
    const reg = openRegister(db, { agency: { name: 'x', code: '', abbr: 'UBND' } });
    try {
      const page = reg.reading.get(r1.registered.docId);
      expect(page.recipients.map((r) => r.OrganName)).toEqual(['Sở Nội vụ', 'Sở Tư pháp']);
      expect(page.attachments).toHaveLength(1);
      expect(reg.attachments.read(page.attachments[0]!.id).equals(readFileSync(join(dir, 'one.pdf')))).toBe(true);
      // --accept-unknown-revocation: the clerk's choice is in the audit trail with the document and the leader's certificate.
      const accepted = (reg.audit.trail({ entity: 'document', entityId: r1.registered.docId }) as Array<{ action: string; after: string }>).find((e) => e.action === 'issue.unknown_revocation_accepted');
      expect(JSON.parse(accepted!.after)).toMatchObject({ code: '01/QĐ-UBND', file: { sha256: r1.sha256 }, leaderCertificate: { subject: expect.stringContaining('Nguyễn Văn An') } });
    } finally {
      reg.dispose();
    }
  }, 120_000);
});
