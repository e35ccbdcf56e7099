/**
 * The offline register's public API. Call `openRegister` in a worker or utility process
 * (`openRegisterWorker` does that for you) — never on the Electron main thread.
 */
export { openRegister, Register, type RegisterOptions } from './open';
export { registerApi, type RegisterApi, type RegisterMethod } from './api';
export type { AgencyInfo, ActOptions, RegisterContext } from './context';
export type { RegisterResult, DuplicateDto, ImportReport } from './registration';
export { transitionSchema, type TransitionOptions } from './handling';
export type { PrintResult } from './printing';
export type { AttachInput } from './attachments';
export type { FileCode } from './dossiers';
export type { DocumentDto, DocumentDetailDto, RecipientDto, AssignmentDto, StatusEventDto, TransitionDto, AttachmentDto, BookDto } from './dto';
export type { AlertDto, AlertKind } from './deadlines';
export { searchQuerySchema, type SearchQuery, type SearchPage, type SearchField } from './search';
export type { AuditReport, CheckpointCheck } from './anchors';
export type { ChainProblem, EntityProblem } from './audit-check';
export { tokenCheckpointSigner, installationSigner, type Checkpoint, type CheckpointSigner } from './checkpoint';
export { WorkingCalendar, calendarSchema, type CalendarConfig } from './calendar';
export { defaultBooks } from './books';
export { incomingRecordSchema, outgoingRecordSchema, bookConfigSchema, dossierSchema } from './records';
export type { RecordInput, IncomingRecordInput, OutgoingRecordInput, BookConfig, DossierInput, AssignmentInput } from './records';
export { INCOMING_ACTIONS, OUTGOING_ACTIONS, STATE_VI, type Action, type DocState, type StatusCode } from './workflow';
export { verifyDatabaseFile, restoreDatabase, type DatabaseCheck } from './backup';
export { openRegisterWorker, type RegisterWorker, type WorkerOptions } from './worker';
export { systemClock, type Clock } from './time';
