import type { Handlers } from '../../contract/dispatch';
import type { SignatureReportDto, VerificationReportDto, verifyMethods } from '../../contract/verify';
import { decodeCertificate } from '../token/cert-decode';
import { extractSignedRevision, verifyPdf, type VerificationReport } from '../verify/index';
import { derivedName, type Workspace } from '../workspace';

export interface VerifyDeps {
  workspace: Workspace;
  /** The agency's trust anchors (settings.trustDir). */
  trustDir: string;
  /** Revocation answers kept between runs, and the settings' OCSP/CRL mirrors. */
  revocation: { cacheDir: string; ocspUrl?: string | undefined; crlUrl?: string | undefined };
}

/** verify.file and verify.signedRevision over workspace files. */
export function verifyHandlers(deps: VerifyDeps): Handlers<typeof verifyMethods> {
  return {
    'verify.file': async ({ fileId, offline }) => {
      const { bytes } = deps.workspace.readPdf(fileId);
      return toReportDto(await verifyPdf(bytes, {
        trustDir: deps.trustDir, offline: offline ?? false, revocationCacheDir: deps.revocation.cacheDir,
        ...(deps.revocation.ocspUrl ? { ocspUrlOverride: deps.revocation.ocspUrl } : {}),
        ...(deps.revocation.crlUrl ? { crlUrlOverride: deps.revocation.crlUrl } : {}),
      }));
    },
    'verify.signedRevision': ({ fileId, index }) => {
      const { file, bytes } = deps.workspace.readPdf(fileId);
      const stored = deps.workspace.put(derivedName(file.name, `ban-ky-${index + 1}`), extractSignedRevision(bytes, index));
      return { fileId: stored.fileId, name: stored.name };
    },
  };
}

/** The core report plus what the clerk reads off the signer certificate (organisation, title). */
export function toReportDto(report: VerificationReport): VerificationReportDto {
  return { ...report, signatures: report.signatures.map((s): SignatureReportDto => ({ ...s, ...certificateNames(s.certificate) })) };
}

function certificateNames(b64: string | null): { signerOrganisation: string | null; signerTitle: string | null } {
  if (!b64) return { signerOrganisation: null, signerTitle: null };
  try {
    const facts = decodeCertificate(Buffer.from(b64, 'base64'));
    return { signerOrganisation: facts.organisation, signerTitle: facts.title };
  } catch {
    // A certificate the verifier already judged unreadable has no names to show.
    return { signerOrganisation: null, signerTitle: null };
  }
}

// Compile-time drift check the other way: what the API sends still reads as the core's report.
const _dtoIsReport = (d: VerificationReportDto): VerificationReport => d;
void _dtoIsReport;
