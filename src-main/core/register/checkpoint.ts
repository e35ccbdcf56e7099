import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as z from 'zod';
import { writeFileAtomic } from '../fsx/atomic-write';

/**
 * Checkpoints anchor the audit chain's head outside the database: entry count, head hash and time,
 * signed, written as a file beside the register (and beside each backup, and on the closing page of a
 * printed sổ). Whoever rewrites the database file cannot make an older checkpoint agree with a
 * shortened or rewritten chain without the signing key. See docs/threat-model.md.
 */
export const CHECKPOINT_FORMAT = 'vanthu-checkpoint/1';

export const SIGNATURE_ALGORITHMS = ['ED25519', 'RSA_PKCS1_SHA256', 'RSA_PSS_SHA256', 'ECDSA_SHA256'] as const;
export type CheckpointAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/**
 * Who signs a checkpoint: the agency token when a clerk is logged in (a TokenSigner fits through
 * tokenCheckpointSigner), else this installation's own key.
 */
export interface CheckpointSigner {
  readonly kind: 'token' | 'installation';
  /** For people: the certificate's subject, or the installation key's fingerprint. */
  readonly label: string;
  readonly algorithm: CheckpointAlgorithm;
  /** Base64 DER: the certificate (token) or the SPKI public key (installation). */
  readonly identity: string;
  sign(data: Buffer): Promise<Uint8Array> | Uint8Array;
}

export const CHECKPOINT_REASONS = ['close', 'backup', 'daily'] as const;

const checkpointSchema = z.strictObject({
  format: z.literal(CHECKPOINT_FORMAT),
  agency: z.string().max(200),
  count: z.number().int().min(0),
  head: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string().max(40),
  reason: z.enum(CHECKPOINT_REASONS),
  book: z.string().max(32).optional(),
  until: z.string().max(10).optional(),
  signer: z.strictObject({ kind: z.enum(['token', 'installation']), label: z.string().max(500), algorithm: z.enum(SIGNATURE_ALGORITHMS), identity: z.string().max(20_000) }),
  signature: z.string().max(2000),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;
export type CheckpointBody = Omit<Checkpoint, 'signature' | 'signer' | 'format'>;

/** The bytes signed: every field but the signature, in a fixed order. */
function signedBytes(c: Omit<Checkpoint, 'signature'>): Buffer {
  return Buffer.from(JSON.stringify([c.format, c.agency, c.count, c.head, c.at, c.reason, c.book ?? null, c.until ?? null, c.signer.kind, c.signer.label, c.signer.algorithm, c.signer.identity]), 'utf8');
}

export async function signCheckpoint(body: CheckpointBody, signer: CheckpointSigner): Promise<Checkpoint> {
  const unsigned = { format: CHECKPOINT_FORMAT, ...body, signer: { kind: signer.kind, label: signer.label, algorithm: signer.algorithm, identity: signer.identity } } as const;
  const signature = Buffer.from(await signer.sign(signedBytes(unsigned))).toString('base64');
  return { ...unsigned, signature };
}

/** Whether the signature holds for the key or certificate the checkpoint names. */
export function signatureHolds(c: Checkpoint): boolean {
  try {
    const data = signedBytes(c);
    const sig = Buffer.from(c.signature, 'base64');
    const der = Buffer.from(c.signer.identity, 'base64');
    if (c.signer.kind === 'installation') {
      return c.signer.algorithm === 'ED25519' && verify(null, data, createPublicKey({ key: der, format: 'der', type: 'spki' }), sig);
    }
    const key = new X509Certificate(der).publicKey;
    switch (c.signer.algorithm) {
      case 'RSA_PKCS1_SHA256': return verify('sha256', data, key, sig);
      case 'RSA_PSS_SHA256': return verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
      case 'ECDSA_SHA256': return verify('sha256', data, { key, dsaEncoding: 'der' }, sig);
      default: return false;
    }
  } catch {
    return false;
  }
}

/** Adapts a logged-in token signer (core/token) without this module depending on the token layer. */
export function tokenCheckpointSigner(t: { algorithm: string; certificate: Uint8Array; sign(data: Buffer): Promise<Uint8Array> }): CheckpointSigner {
  const algorithm = z.enum(SIGNATURE_ALGORITHMS).parse(t.algorithm);
  const cert = new X509Certificate(Buffer.from(t.certificate));
  return { kind: 'token', label: cert.subject.replace(/\n/g, ', '), algorithm, identity: Buffer.from(t.certificate).toString('base64'), sign: (d) => t.sign(d) };
}

/**
 * The per-installation Ed25519 key, kept in its own file outside the database (created on first use,
 * owner-only). It proves less than the agency token: see docs/threat-model.md.
 */
export function installationSigner(keyPath: string): CheckpointSigner {
  let key: KeyObject;
  if (existsSync(keyPath)) {
    key = createPrivateKey(readFileSync(keyPath));
  } else {
    key = generateKeyPairSync('ed25519').privateKey;
    mkdirSync(dirname(keyPath), { recursive: true, mode: 0o700 });
    writeFileAtomic(keyPath, [Buffer.from(key.export({ type: 'pkcs8', format: 'pem' }) as string)]);
    chmodSync(keyPath, 0o600);
  }
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return {
    kind: 'installation',
    label: `khóa cài đặt ${spki.toString('base64').slice(-16)}`,
    algorithm: 'ED25519',
    identity: spki.toString('base64'),
    sign: (d) => edSign(null, d, key),
  };
}

/** Where a register's checkpoints and its installation key live unless configured: beside the database file. */
export function checkpointDirOf(dbPath: string): string {
  return `${dbPath}.checkpoints`;
}
export function installationKeyOf(dbPath: string): string {
  return join(dirname(dbPath), 'keys', 'installation-ed25519.pem');
}
/** The checkpoint a backup carries, beside it. */
export function backupCheckpointOf(backupPath: string): string {
  return `${backupPath}.checkpoint.json`;
}

const MAX_FILE_BYTES = 64 * 1024;

export interface StoredCheckpoint {
  file: string;
  checkpoint: Checkpoint | null;
  /** Why `checkpoint` is null. */
  error?: string;
}

/** Checkpoint files in one folder: written atomically, never rewritten. */
export class CheckpointStore {
  constructor(readonly dir: string) {}

  write(c: Checkpoint): string {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, `${String(c.count).padStart(12, '0')}-${c.reason}-${c.at.replace(/[^0-9]/g, '').slice(0, 14)}.json`);
    writeCheckpointFile(file, c);
    return file;
  }

  /** After a restore: checkpoints the restored chain does not reach are kept aside in a subfolder, never deleted. */
  setAsideBeyond(count: number, stamp: string): number {
    const beyond = this.list().filter((s) => !s.checkpoint || s.checkpoint.count > count);
    if (beyond.length === 0) return 0;
    const aside = join(this.dir, `superseded-${stamp.replace(/[^0-9]/g, '')}`);
    mkdirSync(aside, { recursive: true });
    for (const s of beyond) renameSync(s.file, join(aside, basename(s.file)));
    return beyond.length;
  }

  list(): StoredCheckpoint[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir).filter((f) => f.endsWith('.json')).sort().map((f) => readCheckpointFile(join(this.dir, f)));
  }
}

export function writeCheckpointFile(file: string, c: Checkpoint): void {
  writeFileAtomic(file, [Buffer.from(`${JSON.stringify(c, null, 1)}\n`)]);
}

export function readCheckpointFile(file: string): StoredCheckpoint {
  try {
    if (statSync(file).size > MAX_FILE_BYTES) return { file, checkpoint: null, error: 'too large' };
    const parsed = checkpointSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? { file, checkpoint: parsed.data } : { file, checkpoint: null, error: 'not a checkpoint' };
  } catch (e) {
    return { file, checkpoint: null, error: (e as Error).message };
  }
}

/** "<count>:<hash>" as printed and typed. */
export function checkpointText(c: { count: number; head: string }): string {
  return `${c.count}:${c.head}`;
}
