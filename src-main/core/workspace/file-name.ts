import { nfc } from '../../contract/text';

const MAX_NAME = 200;

/**
 * A display name for a stored file: never used as a path, but it comes back as a download name, so
 * separators, control characters and Windows-reserved characters go, and the length is bounded.
 */
export function cleanFileName(raw: string, fallback = 'tai-lieu.pdf'): string {
  const base = nfc(raw).split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_').replace(/^[.\s]+/, '').trim();
  if (cleaned.length === 0) return fallback;
  if (cleaned.length <= MAX_NAME) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, MAX_NAME - ext.length) + ext;
}

/** "quyet-dinh.pdf" + "da-ky" → "quyet-dinh-da-ky.pdf". */
export function derivedName(name: string, suffix: string): string {
  const dot = name.toLowerCase().endsWith('.pdf') ? name.length - 4 : name.length;
  return cleanFileName(`${name.slice(0, dot)}-${suffix}.pdf`);
}
