import type { Client } from '../../api/client';
import { fetchFile } from '../../ui/files';

/**
 * Saves a workspace file through a Blob link (the same in Electron and browser mode). Fetched on
 * click, not ahead: a batch's results would otherwise all sit in renderer memory at once.
 */
export async function saveWorkspaceFile(client: Client, fileId: string): Promise<void> {
  const f = await fetchFile(client, fileId);
  const url = URL.createObjectURL(new Blob([f.bytes], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = f.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
