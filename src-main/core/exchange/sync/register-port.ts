import type { Action, Register } from '../../register/index';
import { Supersession } from '../../register/supersede';
import type { RegisterPort } from './port';

/** Binds the sync engine's port to the register's public parts (core/register/index.ts). */
export function registerPort(reg: Register): RegisterPort {
  const supersession = new Supersession(reg.ctx, reg.registration);
  return {
    supersede: (id, by, kind, reason) => supersession.mark(id, by, kind, reason),
    db: reg.db,
    receive: (record) => reg.registration.receive(record).document.id,
    get: (id) => reg.reading.get(id),
    transition: (id, action, opts) => void reg.handling.transition(id, action as Action, opts ?? {}),
    // Bulk reception stores the file now and leaves its text to the register's background indexer.
    attach: async (id, f) => void (await reg.attachments.attach(id, { name: f.name, bytes: f.data, mime: f.mime, text: 'later' })),
    readAttachment: (attachmentId) => reg.attachments.read(attachmentId),
    putBlob: (bytes) => reg.attachments.files.put(bytes).sha256,
    readBlob: (sha256) => reg.attachments.files.read(sha256),
    recordRecipientStatus: (docId, recipientId, code, at, note) => void reg.handling.recordRecipientStatus(docId, recipientId, code, { at, note }),
  };
}
