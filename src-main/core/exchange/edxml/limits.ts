/**
 * Every limit the edXML reader enforces, in one place. A package from the exchange is hostile input:
 * each limit turns a resource attack into a refusal with a reason before memory or disk fill up.
 */
export interface EdxmlLimits {
  /** Raw package bytes read (XML + inline base64). */
  maxPackageBytes: number;
  /** Decoded attachment bytes per package, after unzipping (docs/exchange.md: default 50 MB). */
  maxAttachmentBytes: number;
  maxDepth: number;
  maxElements: number;
  maxAttributesPerElement: number;
  maxAttributeLength: number;
  /** Text of any one non-attachment element. */
  maxTextLength: number;
  maxAttachments: number;
  /** A zip entry may not expand more than this many times its compressed size. */
  maxZipRatio: number;
}

export const DEFAULT_LIMITS: EdxmlLimits = {
  maxAttachmentBytes: 50 * 1024 * 1024,
  // base64 costs 4/3 plus line breaks; the rest is generous room for the XML itself.
  maxPackageBytes: Math.ceil(50 * 1024 * 1024 * 1.4) + 4 * 1024 * 1024,
  maxDepth: 32,
  maxElements: 20_000,
  maxAttributesPerElement: 16,
  maxAttributeLength: 1024,
  maxTextLength: 100_000,
  maxAttachments: 100,
  maxZipRatio: 200,
};

export function limitsWith(over: Partial<EdxmlLimits> = {}): EdxmlLimits {
  return { ...DEFAULT_LIMITS, ...over };
}
