import type { ConformanceReportDto } from '@contract/scan';
import { t } from '../../i18n';

/** The conformance report: the verdict, then one row per page with its figures and reasons. */
export function ConformanceTable({ report }: { report: ConformanceReportDto }) {
  return (
    <div className={`verdict ${report.conforms ? 'ok' : 'bad'}`} data-conforms={report.conforms}>
      <p role="status">{report.summaryVi}</p>
      {report.problems.map((p) => <p key={p.code} className="error">{p.vi}</p>)}
      <table style={{ borderCollapse: 'collapse', width: '100%' }} cellPadding={4}>
        <thead>
          <tr><th>{t('scan.colPage')}</th><th>{t('scan.colSize')}</th><th>{t('scan.colDpi')}</th><th>{t('scan.colColour')}</th><th>{t('scan.colResult')}</th></tr>
        </thead>
        <tbody>
          {report.pages.map((p) => (
            <tr key={p.page} data-ok={p.conforms}>
              <td>{p.page}</td>
              <td>{t('scan.size', { w: p.widthMm, h: p.heightMm })}</td>
              <td>{p.dpi ?? '—'}</td>
              <td>{p.colour ? t('scan.colour') : t('scan.notColour')}</td>
              <td>{p.conforms ? t('scan.pageOk') : p.problems.map((x) => x.vi).join(' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
