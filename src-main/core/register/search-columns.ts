import { isLetterOrDigit, vnFold } from '../../contract/text';

/**
 * The FTS5 columns (table doc_fts, created by migration 0020): one per searchable field plus the
 * extracted full text, all folded in the app (vnFold maps đ→d, which unicode61 does not).
 */
export const FTS_COLUMNS = ['code', 'type', 'organ', 'subject', 'signer', 'places', 'note', 'body'] as const;
export type SearchField = (typeof FTS_COLUMNS)[number];

/** Column weights for ranking: a hit in số/ký hiệu or trích yếu matters more than one in the body. */
export const WEIGHTS: Readonly<Record<SearchField, number>> = { code: 10, type: 2, organ: 3, subject: 5, signer: 2, places: 1, note: 1, body: 1 };

/** The documents columns the FTS row is made of (all but the body, which comes from doc_text). */
export const FTS_SOURCE_COLUMNS = ['CodeNumber', 'CodeNotation', 'number', 'DocumentId', 'TypeName', 'OrganName', 'Subject', 'SignerPosition', 'SignerFullName', 'ToPlaces', 'FileCopyHolder', 'Description', 'TraceHeaderList'] as const;

/** One column's parts (the non-empty strings) joined by spaces, not folded. */
export const joinParts = (...xs: unknown[]): string => xs.filter((x) => typeof x === 'string' && x !== '').join(' ');
const foldJoined = (...xs: unknown[]) => vnFold(joinParts(...xs));

/**
 * The folded FTS column values of a document row, in FTS_COLUMNS order. `f` joins (and folds) one
 * column's parts; ranking passes a join that does not fold, to fold the whole row at once.
 */
export function ftsValues(r: Record<string, unknown>, body: string, f: (...xs: unknown[]) => string = foldJoined): string[] {
  const number = typeof r.number === 'number' ? String(r.number) : '';
  return [
    f(r.CodeNumber, r.CodeNotation, r.CodeNumber && r.CodeNotation ? `${r.CodeNumber}/${r.CodeNotation}` : '', number, r.DocumentId),
    f(r.TypeName),
    f(r.OrganName),
    f(r.Subject),
    f(r.SignerPosition, r.SignerFullName),
    f(r.ToPlaces, r.FileCopyHolder),
    f(r.Description, r.TraceHeaderList),
    f(body),
  ];
}

/**
 * The documents columns each FTS column is made of, read off ftsValues itself (a row holding only that
 * source column, as text and as a number), so the two cannot drift apart. Joined without folding: only
 * emptiness is asked, and folding these 1,600 probes cost every register process 3 ms at load.
 */
export const SOURCES_OF = FTS_COLUMNS.reduce((all, column, c) => ({
  ...all,
  [column]: FTS_SOURCE_COLUMNS.filter((source) => ['x', 1].some((probe) => ftsValues({ [source]: probe }, '', joinParts)[c] !== '')),
}), {} as Readonly<Record<SearchField, readonly string[]>>);

// The characters of a word as the index's unicode61 tokenizer sees them (letters, digits, private use).
const WORD_CLASSES = '\\p{L}\\p{N}\\p{Co}';
// Built on first use: V8 compiles a \p{L} class from ICU's tables at about a millisecond a pattern,
// more than a whole ranking over ASCII text, which folded Vietnamese nearly always is.
let nonWord: RegExp | undefined;
const ASCII = /^[\0-\x7f]*$/;

/** Folded text split into words the way the index's tokenizer splits it. */
export function words(folded: string): string[] {
  const split = ASCII.test(folded) ? /[^0-9A-Za-z]+/ : (nonWord ??= new RegExp(`[^${WORD_CLASSES}]+`, 'u'));
  return folded.split(split).filter(Boolean);
}

/** Whether a code point is a character of a word: a letter, a digit, or private use (\p{Co}'s three ranges). */
function isWordCodePoint(cp: number): boolean {
  return isLetterOrDigit(cp) || (cp >= 0xe000 && cp <= 0xf8ff) || (cp >= 0xf0000 && cp <= 0xffffd) || (cp >= 0x100000 && cp <= 0x10fffd);
}

/** The code point that ends just before index i (a surrogate pair read whole). */
function codePointBefore(s: string, i: number): number {
  const low = s.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = s.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return low;
}

/**
 * Whether `term` (a word of words(): never empty) stands in folded `text` as a whole word, or starts
 * one when it is a prefix: the index's own reading of a match, without a regular expression.
 */
export function hasWord(text: string, term: string, prefix: boolean): boolean {
  if (term === '') return false;
  for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + 1)) {
    if (i > 0 && isWordCodePoint(codePointBefore(text, i))) continue;
    const end = i + term.length;
    if (!prefix && end < text.length && isWordCodePoint(text.codePointAt(end)!)) continue;
    return true;
  }
  return false;
}
