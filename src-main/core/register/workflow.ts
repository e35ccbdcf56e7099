/**
 * The two document state machines (docs/register.md, "Workflow") as data: an action is legal only from the
 * listed states. Each step may emit an exchange status code (docs/register.md, "Workflow").
 */
export const INCOMING_STATES = ['received', 'registered', 'submitted', 'assigned', 'in_progress', 'completed', 'returned', 'recalled', 'cancelled'] as const;
export const OUTGOING_STATES = ['drafted', 'signed', 'numbered', 'issued', 'sent', 'recalled', 'corrected', 'cancelled'] as const;
export type IncomingState = (typeof INCOMING_STATES)[number];
export type OutgoingState = (typeof OUTGOING_STATES)[number];
export type DocState = IncomingState | OutgoingState;

export const STATUS_CODES = ['01', '02', '03', '04', '05', '06', '13', '15', '16'] as const;
export type StatusCode = (typeof STATUS_CODES)[number];

export const INCOMING_ACTIONS = ['register', 'submit', 'assign', 'handover', 'progress', 'complete', 'return', 'recall', 'amend', 'cancel'] as const;
export const OUTGOING_ACTIONS = ['sign', 'number', 'issue', 'send', 'recall', 'correct', 'cancel', 'amend'] as const;
/**
 * Steps that undo, stop or change what was written carry a reason, which the transition row and the
 * audit entry keep: nothing in the register changes silently.
 */
export const REASON_ACTIONS: ReadonlySet<Action> = new Set(['return', 'recall', 'correct', 'cancel', 'amend']);
export type Action = (typeof INCOMING_ACTIONS)[number] | (typeof OUTGOING_ACTIONS)[number];

interface Step {
  from: readonly DocState[];
  /** null: the state stays (an amendment of the entry's fields). */
  to: DocState | null;
  /** Status we report for an incoming document, or send to each recipient of an outgoing one. */
  code?: StatusCode;
}

const OPEN_IN: readonly IncomingState[] = ['received', 'registered', 'submitted', 'assigned', 'in_progress', 'completed'];

export const INCOMING_STEPS: Record<(typeof INCOMING_ACTIONS)[number], Step> = {
  register: { from: ['received'], to: 'registered', code: '03' },
  submit: { from: ['registered'], to: 'submitted' },
  // Hand-over straight from registration is allowed where the handling unit is known (Điều 11.1).
  assign: { from: ['registered', 'submitted', 'assigned'], to: 'assigned', code: '04' },
  // Chuyển: the paper or file goes to the assigned unit on the Ngày chuyển; handling starts there.
  handover: { from: ['assigned'], to: 'in_progress', code: '05' },
  progress: { from: ['assigned', 'in_progress'], to: 'in_progress', code: '05' },
  complete: { from: ['assigned', 'in_progress'], to: 'completed', code: '06' },
  return: { from: ['received', 'registered'], to: 'returned', code: '02' },
  recall: { from: OPEN_IN, to: 'recalled', code: '15' },
  // A wrong entry: its fields corrected, or the entry cancelled (its số stays used), each with a reason.
  // A wrong entry is found at any time (closed periods are refused in SQL); a cancelled one stays as it was.
  amend: { from: ['received', 'registered', 'submitted', 'assigned', 'in_progress', 'completed', 'returned', 'recalled'], to: null },
  cancel: { from: ['received', 'registered', 'submitted'], to: 'cancelled' },
};

export const OUTGOING_STEPS: Record<(typeof OUTGOING_ACTIONS)[number], Step> = {
  sign: { from: ['drafted'], to: 'signed' },
  number: { from: ['signed'], to: 'numbered' },
  issue: { from: ['numbered'], to: 'issued' },
  send: { from: ['issued'], to: 'sent' },
  recall: { from: ['issued', 'sent'], to: 'recalled', code: '13' },
  correct: { from: ['issued', 'sent'], to: 'corrected' },
  // A number once given is kept as cancelled, never reused (docs/register.md, "Sổ and series").
  cancel: { from: ['drafted', 'signed', 'numbered'], to: 'cancelled' },
  amend: { from: ['drafted', 'signed', 'numbered', 'issued', 'sent', 'recalled', 'corrected'], to: null },
};

export function stepFor(direction: 'den' | 'di', action: string): Step | undefined {
  const table: Record<string, Step> = direction === 'den' ? INCOMING_STEPS : OUTGOING_STEPS;
  return Object.hasOwn(table, action) ? table[action] : undefined;
}

/** The steps a document can take from where it is now, in the table's order (the page offers these). */
export function legalActions(direction: 'den' | 'di', state: DocState): Action[] {
  const table: Record<string, Step> = direction === 'den' ? INCOMING_STEPS : OUTGOING_STEPS;
  return (Object.keys(table) as Action[]).filter((a) => table[a]!.from.includes(state));
}

export const TERMINAL_STATES: ReadonlySet<DocState> = new Set(['completed', 'returned', 'recalled', 'corrected', 'cancelled']);

/** Sender-side rank for applying recipients' statuses monotonically (docs/register.md, "Workflow"). */
const RANK: Partial<Record<StatusCode, number>> = { '01': 1, '03': 3, '04': 4, '05': 5, '06': 6 };
export function supersedes(current: StatusCode | null, next: StatusCode): boolean {
  if (current === null) return true;
  const a = RANK[current];
  const b = RANK[next];
  // Terminal and recall-overlay codes always show; ranked codes never step back.
  if (a === undefined || b === undefined) return true;
  return b >= a;
}

/** Accept "1" from hubs that emit integers; keep two characters (docs/register.md, "Workflow"). */
export function normaliseStatusCode(raw: string | number): StatusCode | null {
  const s = String(raw).trim().padStart(2, '0');
  return (STATUS_CODES as readonly string[]).includes(s) ? (s as StatusCode) : null;
}

export const STATE_VI: Record<DocState, string> = {
  received: 'Đã tiếp nhận',
  registered: 'Đã vào sổ',
  submitted: 'Đã trình',
  assigned: 'Đã giao xử lý',
  in_progress: 'Đang giải quyết',
  completed: 'Hoàn thành',
  returned: 'Đã trả lại',
  recalled: 'Đã thu hồi',
  drafted: 'Dự thảo',
  signed: 'Đã ký',
  numbered: 'Đã cấp số',
  issued: 'Đã phát hành',
  sent: 'Đã gửi',
  corrected: 'Đã đính chính/thay thế',
  cancelled: 'Đã hủy',
};
