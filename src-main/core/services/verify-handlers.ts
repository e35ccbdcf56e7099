import type { Handlers } from '../../contract/dispatch';
import type { SignatureReportDto, VerificationReportDto, verifyMethods } from '../../contract/verify';
import { OID, parseCert, subjectField } from '../verify/certs';
import { extractSignedRevision, verifyPdf, type VerificationReport, type VerifyOptions } from '../verify/index';
import { derivedName, type Workspace } from '../workspace';

/**
 * The revocation cache kept between runs, and the OCSP/CRL mirrors the settings name (or the demo's own
 * source), as the verifier's options: the leader check at signing takes the same.
 */
export type RevocationDeps = Pick<VerifyOptions, 'ocspUrlOverride' | 'crlUrlOverride'> & { revocationCacheDir: string };

export interface VerifyDeps {
  workspace: Workspace;
  /** The agency's trust anchors (settings.trustDir). */
  trustDir: string;
  /**
   * Asked only by a verification that may go online: the demo's revocation source starts then, so an
   * offline `vanthu verify` never pays for it.
   */
  revocation: () => Promise<RevocationDeps>;
  /** The cache alone, for offline verifications. */
  revocationCacheDir: string;
}

/** verify.file and verify.signedRevision over workspace files. */
export function verifyHandlers(deps: VerifyDeps): Handlers<typeof verifyMethods> {
  return {
    'verify.file': async ({ fileId, offline }) => {
      const { bytes } = deps.workspace.readPdf(fileId);
      const revocation = offline ? { revocationCacheDir: deps.revocationCacheDir } : await deps.revocation();
      return toReportDto(await verifyPdf(bytes, { trustDir: deps.trustDir, offline: offline ?? false, ...revocation }));
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
    // The verifier parsed this certificate moments ago: parseCert hands back that parse.
    const cert = parseCert(Buffer.from(b64, 'base64'));
    return { signerOrganisation: subjectField(cert, OID.O), signerTitle: subjectField(cert, OID.TITLE) };
  } catch {
    // A certificate the verifier already judged unreadable has no names to show.
    return { signerOrganisation: null, signerTitle: null };
  }
}

// Compile-time drift check the other way: what the API sends still reads as the core's report.
const _dtoIsReport = (d: VerificationReportDto): VerificationReport => d;
void _dtoIsReport;
