/** The edXML codec: strict builder, hardened lenient reader (docs/exchange.md). */
export { buildEdxml, buildDocument, buildStatus, type BuildOptions } from './build';
export { parseEdxml, normaliseStatusCode, mediaTypeOf } from './parse';
export { EdxmlRefused, REFUSAL_REASONS, type RefusalReason } from './errors';
export { DEFAULT_LIMITS, limitsWith, type EdxmlLimits } from './limits';
export * from './model';
export { EDXML_NS } from './xml-reader';
