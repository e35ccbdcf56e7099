import { vnFold } from '../../contract/text';

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
/** A character of a word, as a regular expression class. */
export const WORD_CHAR = `[${WORD_CLASSES}]`;
const NON_WORD = new RegExp(`[^${WORD_CLASSES}]+`, 'u');

/** Folded text split into words the way the index's tokenizer splits it. */
export function words(folded: string): string[] {
  return folded.split(NON_WORD).filter(Boolean);
}
