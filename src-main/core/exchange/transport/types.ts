/**
 * One interface for every exchange dialect (docs/exchange.md §2): the sync engine sees only this.
 * A new dialect (Bkav, a province's own) is a new file implementing it, chosen by configuration.
 */
export type MessageType = 'edoc' | 'status';

export interface ReceivedItem {
  docId: string;
  messageType: MessageType;
  from: string;
  createdTime: string;
}

export interface SentItem {
  senderDocId: string;
  receiverDocId: string;
  toCode: string;
  documentId: string | null;
  notation: string | null;
  /** Status code for status messages, subject for documents (the hub's `title`). */
  title: string | null;
  /** SHA-256 of the uploaded file, where the hub reports it (an extension of the SDK list). */
  hashFile: string | null;
  sentTime: string;
  receiveStatus: string;
}

/**
 * How a failed call is to be treated (docs/exchange.md §3):
 * - `retry`: nothing reached the hub (refused connection, 5xx answer): safe to send again later;
 * - `ambiguous`: the request may have been committed (timeout, reset after upload): reconcile first;
 * - `permanent`: the hub refused with a FAIL code: the clerk must act.
 */
export type FailureKind = 'retry' | 'ambiguous' | 'permanent';

export class TransportError extends Error {
  constructor(readonly kind: FailureKind, message: string, readonly hubCode?: string) {
    super(message);
    this.name = 'TransportError';
  }
}

/** What the evidence log gets for each call: headers without secrets, the answer's envelope. */
export interface CallRecord {
  call: string;
  headers: Record<string, string>;
  request?: Buffer;
  response?: Record<string, unknown>;
  error?: string;
}

export interface ExchangeTransport {
  readonly dialect: string;
  /** Never retried inside: a send is attempted once per call. */
  send(pkg: Buffer, type: MessageType, to: readonly string[]): Promise<{ docId: string }>;
  listReceived(type: MessageType): Promise<ReceivedItem[]>;
  fetch(docId: string): Promise<Buffer>;
  ack(docId: string, status: 'done' | 'fail'): Promise<void>;
  listSent(type: MessageType, senderDocId?: string): Promise<SentItem[]>;
  /** Called after every request with what the evidence log should keep. */
  onCall?: (r: CallRecord) => void;
}
