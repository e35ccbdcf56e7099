import { useId, useState, type ChangeEvent, type DragEvent } from 'react';
import type { Client } from '../api/client';
import type { StoredFileDto } from '@contract/files';
import { MAX_FILE_BYTES } from '@contract/limits';
import { t } from '../i18n';
import { uploadFile } from './files';
import { errorText } from './useAsync';

const MAX_MB = Math.floor(MAX_FILE_BYTES / 1024 / 1024);

/**
 * "Chọn tệp PDF": a button, or a PDF dropped on the zone. The native input stays in the page (keyboard
 * focus, Ctrl+O) but is drawn by our Vietnamese label, since the browser's own words ("Choose File",
 * "No file chosen") follow the browser's language. The size limit is stated before the clerk picks.
 */
export function FilePicker({ client, onPicked, disabled }: { client: Client; onPicked: (f: StoredFileDto, bytes: Uint8Array) => void; disabled?: boolean }) {
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  async function take(file: File | undefined) {
    if (!file || disabled || busy) return;
    setError(null);
    setName(file.name);
    if (file.size > MAX_FILE_BYTES) {
      setError(t('file.tooLarge', { max: MAX_MB }));
      return;
    }
    setBusy(true);
    try {
      const { stored, bytes } = await uploadFile(client, file);
      onPicked(stored, bytes);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  function picked(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    void take(file);
  }

  function dropped(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setOver(false);
    void take(e.dataTransfer.files[0]);
  }

  return (
    <div
      className={`file-picker${over ? ' drag-over' : ''}`}
      onDragOver={(e) => { e.preventDefault(); setOver(true); }}
      onDragLeave={() => setOver(false)}
      onDrop={dropped}
      data-drop-zone
    >
      <input id={id} className="visually-hidden" type="file" accept="application/pdf,.pdf" onChange={picked} disabled={disabled || busy} name="pdf" data-shortcut="open" />
      <label htmlFor={id} className="file-button">{t('file.pick')}</label>
      <span className="file-chosen" data-file-name={name ?? ''}>{name ?? t('file.none')}</span>
      <span className="hint">{t('file.dropHint', { max: MAX_MB })}</span>
      {busy && <span role="status">{t('file.uploading')}</span>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
