import type { z } from 'zod';
import { reportSchemas } from '../../contract/verify';
import type { VerificationReport } from './report';

/**
 * The JSON shape of a VerificationReport lives in the contract (one schema for the core, the CLI and
 * the API); this module keeps the core's name for it and the compile-time drift check against report.ts.
 */
export const verificationReportSchema = () => reportSchemas().verificationReport;

// Compile-time drift check: the schema's output must be assignable to the TypeScript report and back.
type Parsed = z.output<ReturnType<typeof verificationReportSchema>>;
const _toReport = (p: Parsed): VerificationReport => p;
const _toParsed = (r: VerificationReport): Parsed => r;
void _toReport; void _toParsed;
