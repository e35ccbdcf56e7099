import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installTrustAnchor, loadTrustAnchors } from '../../src-main/core/verify/index';
import { certificatesFromFile } from '../../src-main/core/trust/pem';
import { loadPki } from '../helpers/pki';

const pki = loadPki();

describe('trust store', () => {
  it('installs an anchor only when the SHA-256 fingerprint matches', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-trust-'));
    const der = certificatesFromFile(readFileSync(join(pki.certs, 'root-ca.crt')))[0]!;
    const fp = createHash('sha256').update(der).digest('hex');
    expect(() => installTrustAnchor(dir, der, fp.replace(/^./, fp[0] === '0' ? '1' : '0'), 'root')).toThrow(/fingerprint/);
    expect(loadTrustAnchors(dir)).toEqual([]);
    installTrustAnchor(dir, readFileSync(join(pki.certs, 'root-ca.crt')), fp.toUpperCase().replace(/(..)/g, '$1:').slice(0, -1), 'vanthu-test-root');
    expect(loadTrustAnchors(dir).map((d) => d.equals(der))).toEqual([true]);
  });
  it('skips files that are not certificates and reads PEM bundles', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vanthu-trust-'));
    copyFileSync(join(pki.certs, 'chain.pem'), join(dir, 'bundle.pem'));
    writeFileSync(join(dir, 'junk.crt'), 'not a certificate');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const skipped: string[] = [];
    expect(loadTrustAnchors(dir, skipped)).toHaveLength(2);
    expect(skipped).toEqual(['junk.crt: not a certificate']);
  });
});
