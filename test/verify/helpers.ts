import { verifyPdf, type VerificationReport } from '../../src-main/core/verify/index';
import type { TestPki } from '../helpers/pki';

/** Where the generated base document's leader signature widget sits ([x1, y1, x2, y2], points). */
export const LEADER_RECT: [number, number, number, number] = [330, 470, 510, 550];

/** A report rectangle as the [x1, y1, x2, y2] box the fixture generators take. */
export const box = (r: { x: number; y: number; width: number; height: number }): [number, number, number, number] => [r.x, r.y, r.x + r.width, r.y + r.height];

/** Verification against the test trust root, revocation skipped (the attack tests judge structure). */
export const verifyWithoutRevocation = (pki: TestPki) => (pdf: Buffer): Promise<VerificationReport> => verifyPdf(pdf, { trustDir: pki.trustDir, revocation: 'skip' });
