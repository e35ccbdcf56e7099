/**
 * Complete chains at signing: with agency settings that configure no intermediate, a leader token that
 * holds only its own certificate is refused before the PIN, naming the missing issuer; the same token
 * with the issuing CA stored on it embeds that CA without being told.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSettings } from '../../src-main/core/config';
import { cloneTokens, loadPki, repoRoot } from '../helpers/pki';
import { spawnCli } from './helpers/cli';
import { tempDir, writeSample } from './helpers/fixtures';
import { cmsPrint, extractSignatures, pdfsig, requireTool } from './helpers/oracles';

const pki = loadPki();
const dir = tempDir('chain-check');
const img = join(repoRoot, 'resources/images/sample-signature-blue.png');
let input: string;
let settingsFile: string;
let withCaConf: string;

beforeAll(async () => {
  requireTool('pkcs11-tool');
  input = await writeSample(dir, 'input.pdf');
  settingsFile = join(dir, 'settings.json');
  writeFileSync(settingsFile, JSON.stringify({
    ...demoSettings({ ...process.env, VANTHU_DATA_DIR: join(dir, 'data'), VANTHU_TEST_PKI: pki.dir }), demo: false, intermediates: [],
  }));
  // A private copy of the tokens, the issuing CA written onto the leader's as a public certificate object.
  withCaConf = cloneTokens(pki);
  execFileSync('pkcs11-tool', ['--module', pki.module, '--token-label', pki.tokens.leader, '--login', '--pin', pki.userPin,
    '--write-object', join(pki.certs, 'issuing-ca.der'), '--type', 'cert', '--label', 'Issuing CA', '--id', 'ca01'],
  { env: { ...process.env, SOFTHSM2_CONF: withCaConf }, stdio: 'pipe' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = (conf: string, pin = pki.userPin) => ({ VANTHU_PIN: pin, SOFTHSM2_CONF: conf, VANTHU_DATA_DIR: join(dir, 'data'), VANTHU_CONFIG: settingsFile });
const approve = (out: string, extra: string[] = []) => ['sign', 'approve', input, '-o', out, '--image', img,
  '--module', pki.module, '--token', pki.tokens.leader, '--key-id', pki.keyIds.leader, ...extra];

describe('complete chains at signing', () => {
  it('Đ3.2 refuses before the PIN when the token holds no CA certificate and nothing else completes the chain, naming the issuer', () => {
    const out = join(dir, 'refused.pdf');
    // A wrong PIN on purpose: the refusal must come before the PIN is used.
    const r = spawnCli(approve(out), env(pki.softhsm2Conf, '999999'));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('thiếu chứng thư của "VANTHU Test Issuing CA"');
    expect(r.stderr).toContain('chưa nhập mã PIN');
    expect(existsSync(out)).toBe(false);
  });

  it('embeds the CA certificate found on the token, so pdfsig trusts the signature', () => {
    const out = join(dir, 'token-ca.pdf');
    const r = spawnCli(approve(out), env(withCaConf));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const printed = cmsPrint(extractSignatures(readFileSync(out))[0]!);
    expect(printed.match(/cert_info:/g)).toHaveLength(2);
    expect(printed).toMatch(/VANTHU Test Issuing CA/);
    expect(pdfsig(pki, out)[0]!.certificate).toBe('Certificate is Trusted.');
  });

  it('--chain completes it too; --allow-untrusted-chain signs with the certificate alone (test set-ups)', () => {
    const chained = join(dir, 'chain-flag.pdf');
    expect(spawnCli(approve(chained, ['--chain', join(pki.certs, 'issuing-ca.crt')]), env(pki.softhsm2Conf)).status).toBe(0);
    expect(cmsPrint(extractSignatures(readFileSync(chained))[0]!).match(/cert_info:/g)).toHaveLength(2);
    const alone = join(dir, 'untrusted.pdf');
    expect(spawnCli(approve(alone, ['--allow-untrusted-chain']), env(pki.softhsm2Conf)).status).toBe(0);
    expect(cmsPrint(extractSignatures(readFileSync(alone))[0]!).match(/cert_info:/g)).toHaveLength(1);
  });
});
