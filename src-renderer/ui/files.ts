import type { Client } from '../api/client';
import type { StoredFileDto } from '@contract/files';

/** Base64 of a picked file, without the data-URL prefix. */
export function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A picked file into the backend's workspace; returns its opaque id and the bytes for display. */
export async function uploadFile(client: Client, file: File): Promise<{ stored: StoredFileDto; bytes: Uint8Array<ArrayBuffer> }> {
  const base64 = await readAsBase64(file);
  const stored = await client.call('file.put', { name: file.name || 'tai-lieu.pdf', base64 });
  return { stored, bytes: base64ToBytes(base64) };
}

/** Bytes of a workspace file (a signed revision, a signing result). */
export async function fetchFile(client: Client, fileId: string): Promise<{ name: string; bytes: Uint8Array<ArrayBuffer>; base64: string }> {
  const f = await client.call('file.get', { fileId });
  return { name: f.name, bytes: base64ToBytes(f.base64), base64: f.base64 };
}
