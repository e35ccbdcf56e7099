/**
 * Hard bounds for reading hostile PDFs. Every loop, recursion and allocation in the parser is capped by
 * one of these, so a malformed, truncated, looping or bomb-laden file ends in a PDF_INVALID error in
 * bounded time and memory instead of a hang or an out-of-memory crash.
 */
export const LIMITS = {
  /** Largest file we read at all (bytes). */
  MAX_FILE_BYTES: 512 * 1024 * 1024,
  /** Nesting depth of arrays and dictionaries inside one object. */
  MAX_NESTING: 64,
  /** Entries in one array or dictionary. */
  MAX_CONTAINER_ITEMS: 100_000,
  /** Bytes of one literal or hex string. /Contents of a signature is a hex string: 1 MB of CMS max. */
  MAX_STRING_BYTES: 2 * 1024 * 1024,
  /** Incremental updates (xref sections) followed through /Prev. */
  MAX_REVISIONS: 512,
  /** Objects declared by one xref section. */
  MAX_XREF_ENTRIES: 2_000_000,
  /** Decoded size of one stream (decompression-bomb cap). */
  MAX_DECODED_STREAM_BYTES: 64 * 1024 * 1024,
  /** Total decoded bytes for one verification (all streams together). */
  MAX_TOTAL_DECODED_BYTES: 256 * 1024 * 1024,
  /** Objects inside one object stream. */
  MAX_OBJSTM_OBJECTS: 100_000,
  /** Depth of indirect-reference chains followed while resolving (a → b → c …). */
  MAX_REF_CHAIN: 32,
  /** Fields and widgets walked in an AcroForm tree, and its depth. */
  MAX_FIELDS: 10_000,
  MAX_FIELD_DEPTH: 32,
  /** Page-tree nodes and depth. */
  MAX_PAGES: 100_000,
  MAX_PAGE_TREE_DEPTH: 64,
  /** Signatures considered in one file. */
  MAX_SIGNATURES: 256,
  /** Content-stream operators interpreted per page (bounding boxes), and form XObject depth. */
  MAX_CONTENT_OPS: 2_000_000,
  MAX_FORM_DEPTH: 12,
  /** Bytes searched backwards for startxref / forwards for endstream when /Length is wrong. */
  TAIL_SEARCH_BYTES: 64 * 1024,
} as const;
