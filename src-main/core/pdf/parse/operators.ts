import { LIMITS } from './limits';
import { Lexer } from './lexer';
import type { PdfObject } from './objects';

/** A content-stream matrix [a b c d e f]. */
export type Matrix = [number, number, number, number, number, number];
export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** a × b: a applied first, then b (PDF's row-vector convention, as for `cm` and the CTM). */
export const mul = (a: Matrix, b: Matrix): Matrix => [
  a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
  a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
  a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5],
];

/** A /Matrix entry read as a matrix, or null when it is not six numbers. */
export const asMatrix = (o: PdfObject | undefined): Matrix | null =>
  Array.isArray(o) && o.length === 6 && o.every((v) => typeof v === 'number') ? (o as Matrix) : null;

/**
 * Steps `lexer` over an inline image (BI … ID data EI): its data is not content syntax. False when the
 * stream ends first, where every interpreter stops reading.
 */
export function skipInlineImage(data: Buffer, lexer: Lexer): boolean {
  const id = data.indexOf('ID', lexer.pos, 'latin1');
  const ei = id < 0 ? -1 : data.indexOf('EI', id + 2, 'latin1');
  if (ei < 0) return false;
  lexer.pos = ei + 2;
  return true;
}

export interface ContentOperator {
  op: string;
  /** The operands before it; valid until the loop moves on. */
  operands: readonly PdfObject[];
  /** The reader, for the consumer that steps over inline image data (skipInlineImage). */
  lexer: Lexer;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
/** No operator takes more operands; a hostile stream cannot grow the stack past it. */
const MAX_OPERANDS = 64;

/**
 * The operators of a content stream with their operands, within LIMITS.MAX_CONTENT_OPS tokens. The
 * one reader of content syntax for every interpreter (layout boxes, images): it ends quietly at the
 * first operand it cannot read, as a viewer would stop drawing.
 */
export function* contentOperators(data: Buffer): Generator<ContentOperator> {
  const lexer = new Lexer(data);
  const stack: PdfObject[] = [];
  for (let tokens = 0; tokens < LIMITS.MAX_CONTENT_OPS; tokens++) {
    lexer.skipWs();
    if (lexer.pos >= data.length) return;
    const c = data[lexer.pos]!;
    if (c === 0x2f || c === 0x28 || c === 0x3c || c === 0x5b) {
      try { stack.push(lexer.parseObject()); } catch { return; }
      if (stack.length > MAX_OPERANDS) stack.splice(0, stack.length - MAX_OPERANDS);
      continue;
    }
    const t = lexer.regularToken();
    if (t === '') { lexer.pos++; continue; }
    if (NUMBER.test(t)) { stack.push(Number(t)); if (stack.length > MAX_OPERANDS) stack.shift(); continue; }
    if (t === 'true' || t === 'false' || t === 'null') { stack.push(t === 'true'); continue; }
    yield { op: t, operands: stack, lexer };
    stack.length = 0;
  }
}
