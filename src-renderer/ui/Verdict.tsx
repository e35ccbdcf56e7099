import type { VerificationReportDto } from '@contract/verify';
import { t, type MessageKey } from '../i18n';

const CLASS: Record<VerificationReportDto['overall'], string> = { TOTAL_PASSED: 'ok', TOTAL_FAILED: 'bad', INDETERMINATE: 'unknown' };
const LABEL: Record<VerificationReportDto['overall'], MessageKey> = { TOTAL_PASSED: 'verdict.passed', TOTAL_FAILED: 'verdict.failed', INDETERMINATE: 'verdict.indeterminate' };

/** The overall verdict banner: one Vietnamese sentence from the verifier, coloured by indication. */
export function Verdict({ report }: { report: VerificationReportDto }) {
  return (
    <div className={`verdict ${CLASS[report.overall]}`} role="status" data-overall={report.overall}>
      <strong>{t(LABEL[report.overall])}</strong>
      <span>{report.summaryVi}</span>
    </div>
  );
}
