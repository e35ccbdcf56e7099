/**
 * Token layer cost on SoftHSM: listing tokens + certificates, and 1,000 signatures through
 * createTokenSigner() against raw pkcs11js calls doing the same work on the same key (SHA-256 in
 * Node, DigestInfo, C_SignInit + C_SignAsync). Target: layer / raw ≤ 1.1× (the raw run is the floor).
 */
import { createHash } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { openTokenService, SHA256_DIGEST_INFO_PREFIX } from '../src-main/core/token/index';
import { loadPki } from '../test/helpers/pki';
import { figure, median, sample } from './stats';

const SIGNATURES = 1000;
const ROUNDS = 7;

export default async function bench(): Promise<void> {
  const pki = loadPki();
  const pin = () => Buffer.from(pki.userPin, 'utf8');

  const cold = await sample(10, () => {
    const s = openTokenService({ modules: [pki.module] });
    try {
      for (const t of s.listTokens()) s.listCertificates(t.ref);
    } finally {
      s.close();
    }
  });

  const svc = openTokenService({ modules: [pki.module] });
  try {
    const warm = await sample(50, () => {
      for (const t of svc.listTokens()) svc.listCertificates(t.ref);
    });
    figure('list tokens + certificates, cold (load + C_Initialize)', median(cold));
    figure('list tokens + certificates, warm', median(warm));

    const leader = svc.findToken(pki.tokens.leader).ref;
    svc.login(leader, pin());
    const data = Buffer.alloc(1500, 0x5a); // typical DER of signed attributes

    // Raw baseline on a second handle to the same Cryptoki instance: same slot, same key.
    const raw = new pkcs11js.PKCS11();
    raw.load(pki.module);
    try {
      raw.C_Initialize();
    } catch {
      // Already initialised by the service in this process: the same instance, shared.
    }
    const slot = raw.C_GetSlotList(true).find((s) => raw.C_GetTokenInfo(s).label.trim() === pki.tokens.leader)!;
    const session = raw.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    raw.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: Buffer.from(pki.keyIds.leader, 'hex') }]);
    const [key] = raw.C_FindObjects(session, 1);
    raw.C_FindObjectsFinal(session);
    if (!key) throw new Error('leader key not visible: login failed?');

    const rawRun = async (mechanism: number, hashInNode: boolean) => {
      for (let i = 0; i < SIGNATURES; i++) {
        const input = hashInNode ? Buffer.concat([SHA256_DIGEST_INFO_PREFIX, createHash('sha256').update(data).digest()]) : data;
        raw.C_SignInit(session, { mechanism }, key);
        await raw.C_SignAsync(session, input, Buffer.alloc(256));
      }
    };
    const rawSync = () => {
      for (let i = 0; i < SIGNATURES; i++) {
        const input = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, createHash('sha256').update(data).digest()]);
        raw.C_SignInit(session, { mechanism: pkcs11js.CKM_RSA_PKCS }, key);
        raw.C_Sign(session, input, Buffer.alloc(256));
      }
    };
    const layerRun = (signer: { sign(d: Buffer): Promise<Buffer> }) => async () => {
      for (let i = 0; i < SIGNATURES; i++) await signer.sign(data);
    };
    const signerRaw = svc.createTokenSigner(leader, pki.keyIds.leader);
    const signerCombined = svc.createTokenSigner(leader, pki.keyIds.leader, { rsaMechanism: 'combined' });
    const signerEc = svc.createTokenSigner(leader, pki.keyIds.leaderEc);

    // Interleaved rounds so drift (CPU frequency, other load) hits both sides alike.
    const t = { raw: [] as number[], layer: [] as number[], rawSync: [] as number[], combinedRaw: [] as number[], combinedLayer: [] as number[], ec: [] as number[] };
    for (let r = 0; r < ROUNDS; r++) {
      t.raw.push(...(await sample(1, () => rawRun(pkcs11js.CKM_RSA_PKCS, true), r === 0 ? 1 : 0)));
      t.layer.push(...(await sample(1, layerRun(signerRaw), r === 0 ? 1 : 0)));
      t.rawSync.push(...(await sample(1, rawSync, 0)));
      t.combinedRaw.push(...(await sample(1, () => rawRun(pkcs11js.CKM_SHA256_RSA_PKCS, false), 0)));
      t.combinedLayer.push(...(await sample(1, layerRun(signerCombined), 0)));
      t.ec.push(...(await sample(1, layerRun(signerEc), 0)));
    }
    raw.C_CloseSession(session);
    raw.close();

    console.log(`${SIGNATURES} RSA-2048 signatures on SoftHSM per figure, median of ${ROUNDS} interleaved rounds`);
    const sigs = `${SIGNATURES} sigs`;
    const rawName = `raw pkcs11js, CKM_RSA_PKCS + DigestInfo, ${sigs}`;
    const rawCombinedName = `raw pkcs11js, CKM_SHA256_RSA_PKCS, ${sigs}`;
    figure(rawName, median(t.raw));
    figure(`token layer, CKM_RSA_PKCS + DigestInfo, ${sigs}`, median(t.layer), { floor: rawName });
    // Judged on ratios within a round (the two runs sit side by side in time): on a busy machine the
    // medians of each side can come from different rounds and swing either way.
    figure('token layer ÷ raw, same round, median (CKM_RSA_PKCS)', median(t.layer.map((v, r) => v / t.raw[r]!)), { unit: 'x', target: { max: 1.1 } });
    figure(`raw pkcs11js, synchronous C_Sign, ${sigs}`, median(t.rawSync));
    figure(rawCombinedName, median(t.combinedRaw));
    figure(`token layer, CKM_SHA256_RSA_PKCS, ${sigs}`, median(t.combinedLayer), { floor: rawCombinedName });
    figure(`token layer, ECDSA P-256, ${sigs}`, median(t.ec));
    svc.logout(leader);
  } finally {
    svc.close();
  }
}
