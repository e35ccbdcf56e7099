import { Alert, Checkbox } from 'antd';
import type { SignInspectionDto } from '@contract/sign';
import { t } from '../../i18n';

/**
 * The leader's signature as issuing judges it. When no revocation status could be had (Điều 3.2), the
 * reason is shown and issuing waits for the clerk's explicit confirmation, which the register records
 * with the issued document; a refused leader signature is shown as refused, with nothing to confirm.
 */
export function LeaderCheck({ leader, confirmed, onConfirm, disabled }: {
  leader: SignInspectionDto['leader'];
  confirmed: boolean;
  onConfirm: (v: boolean) => void;
  disabled: boolean;
}) {
  if (!leader.revocationUnknown) {
    return (
      <Alert type={leader.verified ? 'success' : 'error'} showIcon data-leader-verified={leader.verified}
        title={leader.verified ? t('sign.leaderOk', { name: leader.signerName ?? '' }) : leader.summaryVi} />
    );
  }
  return (
    <Alert type="warning" showIcon data-leader-verified={leader.verified} data-revocation-unknown="true"
      title={t('sign.revocationUnknown', { name: leader.signerName ?? '' })}
      description={(
        <>
          <p data-revocation-reason>{leader.summaryVi}</p>
          <fieldset className="revocation-confirm">
            <legend>{t('sign.revocationConfirmLegend')}</legend>
            <Checkbox name="acceptUnknownRevocation" checked={confirmed} disabled={disabled} onChange={(e) => onConfirm(e.target.checked)}>
              {t('sign.revocationConfirm')}
            </Checkbox>
          </fieldset>
        </>
      )} />
  );
}
