import sax from 'sax';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { refuse } from './errors';
import type { EdxmlLimits } from './limits';

export const EDXML_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';

/** A light element tree; attachment payloads are decoded on the fly into `blob`, never kept as text. */
export interface XmlElement {
  uri: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  blob?: Buffer;
}

/** Element whose text is a base64 payload, streamed to bytes as it arrives. */
const PAYLOAD_ELEMENT = 'ContentTransferEncoded';
const PAYLOAD_OPEN = /<(?:[A-Za-z_][\w.-]*:)?ContentTransferEncoded(?:\s[^<>]*)?>/;
/** Characters Node's base64 decoder accepts that are not in the base64 alphabet (they are base64url's). */
const URL_SAFE = /[-_]/;

class Base64Stream {
  private carry = '';
  private parts: Buffer[] = [];
  private done = false;
  constructor(private readonly budget: { left: number }) {}

  write(text: string): void {
    // Most senders write base64 on one line: look for white space before paying for a replace.
    const s = this.carry + (/\s/.test(text) ? text.replace(/\s+/g, '') : text);
    if (this.done && s.length > 0) refuse('BAD_BASE64', 'data after base64 padding');
    const whole = s.length - (s.length % 4);
    const chunk = s.slice(0, whole);
    this.carry = s.slice(whole);
    if (chunk.length === 0) return;
    // Node's decoder skips characters outside the alphabet (and stops at an inner '='), so a chunk is
    // clean exactly when it decodes to its full length; a regular expression over megabytes cost more.
    const pad = chunk.endsWith('==') ? 2 : chunk.endsWith('=') ? 1 : 0;
    const bytes = Buffer.from(chunk, 'base64');
    if (bytes.length !== (chunk.length / 4) * 3 - pad || URL_SAFE.test(chunk)) refuse('BAD_BASE64', 'character outside the base64 alphabet');
    if (pad > 0) this.done = true;
    this.budget.left -= bytes.length;
    if (this.budget.left < 0) refuse('ATTACHMENT_TOO_LARGE', 'decoded attachments exceed the per-package limit');
    this.parts.push(bytes);
  }

  end(): Buffer {
    if (this.carry.length > 0) refuse('BAD_BASE64', `base64 length not a multiple of 4 (${this.carry.length} left over)`);
    return Buffer.concat(this.parts);
  }
}

/**
 * Reads an edXML package with sax in strict mode over a byte stream: no DTD (refused at the first
 * `<!DOCTYPE`, so neither external entities nor entity expansion can happen), only the five XML
 * entities, and limits on bytes, depth, element count, attributes and text. Works chunk by chunk, so
 * an oversized package is refused after reading at most the limit.
 */
export async function readXml(source: AsyncIterable<Buffer | string> | Readable, limits: EdxmlLimits): Promise<XmlElement> {
  const parser = sax.parser(true, { xmlns: true, strictEntities: true } as sax.SAXOptions);
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let elements = 0;
  let bytes = 0;
  let failure: unknown = null;
  let payload: Base64Stream | null = null;
  const budget = { left: limits.maxAttachmentBytes };

  const fail = (e: unknown) => {
    if (!failure) failure = e;
  };
  parser.ondoctype = () => fail(guard(() => refuse('DTD_FORBIDDEN', 'DOCTYPE declaration')));
  (parser as unknown as { onsgmldeclaration: () => void }).onsgmldeclaration = () => fail(guard(() => refuse('DTD_FORBIDDEN', 'SGML declaration')));
  parser.onprocessinginstruction = (pi) => {
    if (pi.name.toLowerCase() !== 'xml') fail(guard(() => refuse('NOT_XML', `processing instruction ${pi.name.slice(0, 20)}`)));
  };
  parser.onattribute = (a) => {
    if (a.value.length > limits.maxAttributeLength) fail(guard(() => refuse('ATTRIBUTE_TOO_LONG', `attribute ${a.name.slice(0, 40)} is ${a.value.length} chars`)));
  };
  parser.onopentag = (tag) => {
    if (failure) return;
    const t = tag as sax.QualifiedTag;
    elements++;
    if (elements > limits.maxElements) return fail(guard(() => refuse('TOO_MANY_ELEMENTS', `more than ${limits.maxElements} elements`)));
    if (stack.length >= limits.maxDepth) return fail(guard(() => refuse('TOO_DEEP', `depth over ${limits.maxDepth}`)));
    const names = Object.keys(t.attributes);
    if (names.length > limits.maxAttributesPerElement) return fail(guard(() => refuse('ATTRIBUTE_TOO_LONG', `${names.length} attributes on ${t.local}`)));
    const attrs: Record<string, string> = {};
    for (const n of names) {
      const a = t.attributes[n]!;
      if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attrs[a.local] = a.value;
    }
    const el: XmlElement = { uri: t.uri, local: t.local, attrs, children: [], text: '' };
    if (stack.length === 0) root = el;
    else stack.at(-1)!.children.push(el);
    stack.push(el);
    if (t.local === PAYLOAD_ELEMENT) payload = new Base64Stream(budget);
  };
  const ontext = (text: string) => {
    if (failure || stack.length === 0) return;
    const el = stack.at(-1)!;
    if (payload) return void guardInto(fail, () => payload!.write(text));
    if (el.text.length + text.length > limits.maxTextLength) return fail(guard(() => refuse('TEXT_TOO_LONG', `text of ${el.local} over ${limits.maxTextLength} chars`)));
    el.text += text;
  };
  parser.ontext = ontext;
  parser.oncdata = ontext;
  parser.onclosetag = () => {
    if (failure) return;
    const el = stack.pop()!;
    if (payload && el.local === PAYLOAD_ELEMENT) {
      guardInto(fail, () => (el.blob = payload!.end()));
      payload = null;
    }
  };
  parser.onerror = (e) => {
    const msg = e.message.split('\n')[0] ?? '';
    fail(guard(() => refuse(/entity/i.test(msg) ? 'ENTITY_FORBIDDEN' : 'NOT_XML', msg.slice(0, 200))));
  };

  const utf8 = new StringDecoder('utf8');
  // sax walks text one character at a time; a payload's base64 (megabytes) is handed to the decoder
  // directly instead: sax gets everything up to the end of the payload's start tag, then again from
  // the next '<'. A start tag split across chunks is held back until it is whole.
  let held = '';
  const feed = (text: string) => {
    let s = held + text;
    held = '';
    while (s.length > 0 && !failure) {
      if (payload) {
        const lt = s.indexOf('<');
        guardInto(fail, () => payload!.write(lt < 0 ? s : s.slice(0, lt)));
        if (lt < 0) return;
        s = s.slice(lt);
      }
      const open = PAYLOAD_OPEN.exec(s);
      if (open) {
        parser.write(s.slice(0, open.index + open[0].length));
        s = s.slice(open.index + open[0].length);
        continue;
      }
      const lastLt = s.lastIndexOf('<');
      if (lastLt >= 0 && s.indexOf('>', lastLt) < 0 && s.length - lastLt < 4096) {
        held = s.slice(lastLt);
        s = s.slice(0, lastLt);
      }
      parser.write(s);
      return;
    }
  };
  for await (const chunk of source as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    bytes += buf.length;
    if (bytes > limits.maxPackageBytes) fail(guard(() => refuse('TOO_LARGE', `package over ${limits.maxPackageBytes} bytes`)));
    if (failure) break;
    feed(utf8.write(buf));
    if (failure) break;
  }
  if (!failure) {
    feed(utf8.end());
    parser.write(held);
    parser.close();
  }
  if (failure) {
    if (typeof (source as Readable).destroy === 'function') (source as Readable).destroy();
    throw failure;
  }
  if (!root) refuse('NOT_XML', 'no root element');
  return root;
}

function guard(fn: () => never): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
}

function guardInto(fail: (e: unknown) => void, fn: () => void): void {
  try {
    fn();
  } catch (e) {
    fail(e);
  }
}
