import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as z from 'zod';
import { lazy } from '../contract/api';
import { AppError } from '../contract/errors';
import { SEAL_MM_DEFAULT, SEAL_MM_MAX, SEAL_MM_MIN } from '../contract/limits';
import { appRoot as repoRoot } from './paths';
import type { DemoCaFiles } from './trust/demo-responder';

/**
 * Agency settings. An administrator's file (VANTHU_CONFIG) wins; without one the workstation runs on
 * an embedded demo profile that uses the SoftHSM test tokens, so a fresh machine starts usable. Built
 * on first use: a command run on the demo profile, or with its paths as flags, never parses a file.
 */
export const settingsSchema = lazy(() => z.strictObject({
  agency: z.strictObject({ name: z.string().min(1).max(300), code: z.string().max(64), abbr: z.string().min(1).max(20) }),
  /** PKCS#11 libraries allowed on this workstation; empty = auto-detect from the catalogue. */
  pkcs11Modules: z.array(z.string().min(1).max(4096)).max(32),
  trustDir: z.string().min(1),
  /** Issuing-CA certificates (PEM or DER files) embedded with the agency's signatures: tokens hold only the end-entity certificate. */
  intermediates: z.array(z.string().min(1).max(4096)).max(16).default([]),
  /** The agency's red seal, a transparent PNG; drawn at sealMm whatever its own resolution says. */
  sealImage: z.string().min(1).max(4096).optional(),
  tsaUrl: z.string().url().optional(),
  /** OCSP / CRL addresses used instead of those in certificates: a local mirror on an isolated network. */
  ocspUrlOverride: z.string().url().optional(),
  crlUrlOverride: z.string().url().optional(),
  sealMm: z.number().min(SEAL_MM_MIN).max(SEAL_MM_MAX),
  dataDir: z.string().min(1),
  /** Private SoftHSM configuration (demo and tests only). */
  softhsm2Conf: z.string().optional(),
  demo: z.boolean(),
}));
export type Settings = z.infer<ReturnType<typeof settingsSchema>>;

export { appRoot as repoRoot } from './paths';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VANTHU_DATA_DIR) return env.VANTHU_DATA_DIR;
  if (process.platform === 'win32' && env.APPDATA) return join(env.APPDATA, 'vanthu');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'vanthu');
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const file = env.VANTHU_CONFIG;
  if (file) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new AppError('INPUT_INVALID', 'Không đọc được tệp cấu hình của cơ quan.', `cannot read settings ${file}: ${(e as Error).message}`);
    }
    const parsed = settingsSchema().safeParse(raw);
    if (!parsed.success) {
      throw new AppError('INPUT_INVALID', 'Tệp cấu hình của cơ quan không hợp lệ.', `settings ${file}: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    }
    return parsed.data;
  }
  return demoSettings(env);
}

/** The demo profile: the SoftHSM test tokens and the test trust root, provisioned on first use. */
export function demoSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const pkiDir = demoPkiDir(env);
  if (!existsSync(join(pkiDir, 'manifest.json'))) {
    // Required here, not imported: every command and window loads this module, and loading
    // child_process costs each CLI start ~2 ms for a step that runs once per demo installation.
    const { execFileSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
    execFileSync('bash', [join(repoRoot, 'native/provision-test-pki.sh'), pkiDir], { stdio: 'inherit' });
  }
  const dataDir = defaultDataDir(env);
  mkdirSync(dataDir, { recursive: true });
  return {
    agency: { name: 'UBND tỉnh Thử Nghiệm (bản trình diễn)', code: '000.00.00.H99', abbr: 'UBND' },
    pkcs11Modules: ['/usr/lib/softhsm/libsofthsm2.so'],
    trustDir: join(pkiDir, 'trust'),
    intermediates: [join(pkiDir, 'certs', 'issuing-ca.der')],
    sealImage: join(repoRoot, 'resources/images/sample-seal-red.png'),
    sealMm: SEAL_MM_DEFAULT,
    dataDir,
    softhsm2Conf: join(pkiDir, 'softhsm2.conf'),
    demo: true,
  };
}

/** The test PKI the demo profile runs on. */
function demoPkiDir(env: NodeJS.ProcessEnv): string {
  return env.VANTHU_TEST_PKI ?? join(repoRoot, '.tmp/pki');
}

/**
 * The demo CA's files for its loopback revocation source (core/trust/demo-responder.ts), which the
 * workstation starts in the demo profile: demo files then verify with a real revocation answer, and
 * the demo refuses an unknown status like an agency's settings do.
 */
export function demoCaFiles(env: NodeJS.ProcessEnv = process.env): DemoCaFiles {
  const pkiDir = demoPkiDir(env);
  return {
    caCert: join(pkiDir, 'certs', 'issuing-ca.crt'), caKey: join(pkiDir, 'keys', 'issuing-ca.key'),
    ocspCert: join(pkiDir, 'certs', 'ocsp.crt'), ocspKey: join(pkiDir, 'keys', 'ocsp.key'),
    index: join(pkiDir, 'ca', 'issuing-ca', 'index.txt'),
  };
}

/** The register database inside a data folder: one name for the workstation and the CLI. */
export function registerDbPath(dataDir: string): string {
  return join(dataDir, 'register.db');
}

/** The configured intermediates as DER: a DER file is one certificate, a PEM file may hold several. */
export function readIntermediates(settings: Pick<Settings, 'intermediates'>): Buffer[] {
  return settings.intermediates.flatMap((file) => {
    const raw = readFileSync(file);
    const pems = [...raw.toString('latin1').matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)].slice(0, 16);
    return pems.length > 0 ? pems.map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')) : [raw];
  });
}

/** The agency's seal image, or the sample seal shipped with vanthu. */
export function readSealImage(settings: Pick<Settings, 'sealImage'>): Buffer {
  return readFileSync(settings.sealImage ?? join(repoRoot, 'resources/images/sample-seal-red.png'));
}
