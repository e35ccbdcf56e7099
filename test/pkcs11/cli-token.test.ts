import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src-main/cli/main';
import type { CliIo } from '../../src-main/cli/io';
import { loadPki, type TestPki } from '../helpers/pki';
import { spawnCli } from '../sign/helpers/cli';

let pki: TestPki;

function capture(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const pins: string[] = [];
  const io: CliIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env,
    readPin: async (prompt) => {
      pins.push(prompt ?? '');
      return Buffer.from(pki.userPin, 'utf8');
    },
  };
  return { io, out, err, pins };
}

beforeAll(() => {
  pki = loadPki();
});

describe('vanthu token list', () => {
  it('--json lists both tokens with their certificates in a stable shape', async () => {
    const c = capture();
    expect(await main(['token', 'list', '--module', pki.module, '--json'], c.io)).toBe(0);
    const json = JSON.parse(c.out.join('\n'));
    expect(json.version).toBe(1);
    expect(json.modules).toEqual([{ path: pki.module, loaded: true, errorCode: null, errorMessage: null }]);
    expect(json.tokens.map((t: { label: string }) => t.label)).toEqual([pki.tokens.agency, pki.tokens.leader]);
    const leader = json.tokens[1];
    expect(Object.keys(leader)).toEqual(['ref', 'label', 'serial', 'manufacturer', 'model', 'module', 'loginRequired', 'pinCountLow', 'pinFinalTry', 'pinLocked', 'certificates']);
    expect(leader.certificates.map((x: { keyId: string }) => x.keyId)).toEqual(['01', '02', '03']);
    expect(leader.certificates[0]).toMatchObject({ commonName: 'Nguyễn Văn An', organisation: 'UBND tỉnh Thử Nghiệm', title: 'Chủ tịch', keyAlgorithm: 'RSA', privateKeyStatus: 'unknown' });
    expect(c.pins).toEqual([]);
  });

  it('without --module uses every auto-detected driver (SoftHSM among them)', async () => {
    const c = capture();
    expect(await main(['token', 'list', '--json'], c.io)).toBe(0);
    const json = JSON.parse(c.out.join('\n'));
    expect(json.modules).toContainEqual({ path: pki.module, loaded: true, errorCode: null, errorMessage: null });
    expect(json.tokens.map((t: { label: string }) => t.label)).toEqual(expect.arrayContaining([pki.tokens.agency, pki.tokens.leader]));
  });

  it('human output is Vietnamese; --login asks each token for its PIN and shows key presence', async () => {
    const c = capture();
    expect(await main(['token', 'list', '--module', pki.module, '--login'], c.io)).toBe(0);
    const text = c.out.join('\n');
    expect(text).toContain('Token "VANTHU-LEADER"');
    expect(text).toContain('Chứng thư [CKA_ID 02]: Nguyễn Văn An');
    expect(text).toContain('Chức danh: Chủ tịch');
    expect(text).toContain('(đã hết hạn)');
    expect(text).toContain('(chưa có hiệu lực)');
    expect(text).toContain('khóa bí mật: có');
    expect(text).not.toContain(pki.userPin);
    expect(c.pins).toHaveLength(2);
  });

  it('a missing or non-PKCS#11 module fails with a Vietnamese reason and the right code', async () => {
    const missing = capture();
    expect(await main(['token', 'list', '--module', '/nonexistent/vnpt-ca_csp11.so'], missing.io)).toBe(70);
    expect(missing.err.join('\n')).toMatch(/Lỗi: Không tìm thấy thư viện[\s\S]*TOKEN_LIBRARY_MISSING/);
    const invalid = capture();
    expect(await main(['token', 'list', '--module', '/etc/hostname'], invalid.io)).toBe(70);
    expect(invalid.err.join('\n')).toContain('TOKEN_LIBRARY_INVALID');
  });

  it('runs as its own process too (bin.cjs, the PIN never asked without --login)', () => {
    const r = spawnCli(['token', 'list', '--module', pki.module, '--json'], { SOFTHSM2_CONF: pki.softhsm2Conf, VANTHU_CONFIG: '', VANTHU_PIN: '' });
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { tokens: Array<{ label: string }> }).tokens.map((t) => t.label)).toEqual([pki.tokens.agency, pki.tokens.leader]);
  });

  it('rejects unknown arguments with usage', async () => {
    const c = capture();
    expect(await main(['token', 'list', '--slot', '0'], c.io)).toBe(64);
    expect(c.err.join('\n')).toContain('--slot');
    expect(await main(['token'], capture().io)).toBe(64);
  });
});
