import type { Handlers } from '../../contract/dispatch';
import type { fileMethods } from '../../contract/files';
import { decodeBase64, type Workspace } from '../workspace';

/** file.put / file.get: bytes in and out of the workspace as base64, identified by opaque ids only. */
export function fileHandlers(workspace: Workspace): Handlers<typeof fileMethods> {
  return {
    'file.put': ({ name, base64 }) => workspace.put(name, decodeBase64(base64)),
    'file.get': ({ fileId }) => {
      const { file, bytes } = workspace.read(fileId);
      return { name: file.name, size: file.size, base64: bytes.toString('base64') };
    },
  };
}
