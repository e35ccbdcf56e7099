import { t } from '../../i18n';

/** "Mã PIN ký": the second PIN some tokens ask before every signature. Never stored beyond the screen. */
export function ContextPinField({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <label className="context-pin">
      {t('sign.contextPin')}
      <input name="contextPin" type="password" autoComplete="off" value={value} onChange={(e) => onChange(e.target.value)} minLength={4} maxLength={64} />
      <span className="hint">{t('sign.contextPinHint')}</span>
    </label>
  );
}
