import { useId, useState, type ChangeEvent } from 'react';
import type { Client } from '../api/client';
import type { StoredFileDto } from '@contract/files';
import { t } from '../i18n';
import { uploadFile } from './files';
import { errorText } from './useAsync';

/** "Chọn tệp PDF": reads the file, stores it in the backend workspace, reports the id and the bytes. */
export function FilePicker({ client, onPicked, disabled }: { client: Client; onPicked: (f: StoredFileDto, bytes: Uint8Array) => void; disabled?: boolean }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function picked(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const { stored, bytes } = await uploadFile(client, file);
      onPicked(stored, bytes);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="file-picker">
      <label htmlFor={id}>{t('file.pick')}</label>
      <input id={id} type="file" accept="application/pdf,.pdf" onChange={picked} disabled={disabled || busy} name="pdf" data-shortcut="open" />
      {busy && <span role="status">{t('file.uploading')}</span>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
