import type { Action, Register } from '../../register/index';
import type { RegisterPort } from './port';

/** Binds the sync engine's port to the register's public parts (core/register/index.ts). */
export function registerPort(reg: Register): RegisterPort {
  return {
    db: reg.db,
    receive: (record) => reg.registration.receive(record).document.id,
    get: (id) => reg.reading.get(id),
    transition: (id, action, opts) => void reg.handling.transition(id, action as Action, opts ?? {}),
    attach: async (id, f) => void (await reg.attachments.attach(id, { name: f.name, base64: f.data.toString('base64'), mime: f.mime })),
    readAttachment: (attachmentId) => reg.attachments.read(attachmentId),
    recordRecipientStatus: (docId, recipientId, code, at, note) => void reg.handling.recordRecipientStatus(docId, recipientId, code, { at, note }),
  };
}
