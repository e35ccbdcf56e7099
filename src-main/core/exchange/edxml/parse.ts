import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { nfc } from '../../../contract/text';
import { refuse } from './errors';
import { limitsWith, type EdxmlLimits } from './limits';
import {
  ORGANIZATION_FIELDS, STAFF_FIELDS,
  type Attachment, type Business, type DocumentHeader, type DocumentPackage, type EdxmlPackage, type Organization, type ResponseFor, type StaffInfo, type StatusPackage, type Trace,
} from './model';
import { EDXML_NS, readXml, type XmlElement } from './xml-reader';
import { isZip, unzip, zipEntryCount } from './zip';

/**
 * Lenient in (docs/exchange.md §1): elements found by namespace URI + local name whatever the
 * prefix and in any order, `Business…` read as `Bussiness…`, status `"1"` read as `"01"`, `cid:`
 * optional, dates in `yyyy/MM/dd`, `yyyy-MM-dd` or `dd/MM/yyyy`, attachments zipped or raw. What is
 * structurally missing is refused with the field's name.
 */
export async function parseEdxml(input: string | Buffer | Readable, over: Partial<EdxmlLimits> = {}): Promise<EdxmlPackage> {
  const limits = limitsWith(over);
  let source: Readable;
  if (typeof input === 'string') {
    if (statSync(input).size > limits.maxPackageBytes) refuse('TOO_LARGE', `package file over ${limits.maxPackageBytes} bytes`);
    source = createReadStream(input, { highWaterMark: 256 * 1024 });
  } else if (Buffer.isBuffer(input)) {
    source = Readable.from([input]);
  } else {
    source = input;
  }
  const root = await readXml(source, limits);
  if (root.uri !== EDXML_NS) refuse('WRONG_NAMESPACE', `root namespace "${root.uri.slice(0, 100)}"`);
  if (root.local !== 'edXML') refuse('WRONG_ROOT', `root element ${root.local.slice(0, 50)}`);
  const envelope = need(root, 'edXMLEnvelope');
  const header = need(envelope, 'edXMLHeader');
  const mh = need(header, 'MessageHeader');
  if (kid(mh, 'StatusCode')) return readStatus(mh);
  return readDocument(mh, header, root, limits);
}

// ------------------------------------------------------------------ tree helpers

const norm = (local: string) => local.replace(/^Business/, 'Bussiness');

function kids(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.uri === EDXML_NS && norm(c.local) === name);
}
function kid(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.uri === EDXML_NS && norm(c.local) === name);
}
function need(el: XmlElement, name: string): XmlElement {
  return kid(el, name) ?? refuse('MISSING_FIELD', `${el.local}/${name}`);
}
function text(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  const t = nfc(el.text).trim();
  return t === '' ? undefined : t;
}
function txt(el: XmlElement, name: string): string | undefined {
  return text(kid(el, name));
}
function req(el: XmlElement, name: string): string {
  return txt(el, name) ?? refuse('MISSING_FIELD', `${el.local}/${name}`);
}
function int(el: XmlElement, name: string): number | undefined {
  const t = txt(el, name);
  if (t === undefined) return undefined;
  if (!/^-?\d{1,9}$/.test(t)) refuse('BAD_VALUE', `${el.local}/${name} is not an integer`);
  return Number(t);
}
function flag01(el: XmlElement, name: string): 0 | 1 | undefined {
  const n = int(el, name);
  if (n === undefined) return undefined;
  if (n !== 0 && n !== 1) refuse('BAD_VALUE', `${el.local}/${name} is not 0 or 1`);
  return n;
}
/** Object with only the defined keys, so a round trip compares equal. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function wireDate(raw: string | undefined, field: string): string | undefined {
  if (raw === undefined) return undefined;
  let m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})/.exec(raw);
  if (m) return `${m[1]}/${m[2]!.padStart(2, '0')}/${m[3]!.padStart(2, '0')}`;
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(raw);
  if (m) return `${m[3]}/${m[2]!.padStart(2, '0')}/${m[1]!.padStart(2, '0')}`;
  refuse('BAD_VALUE', `${field} is not a date`);
}

function wireTimestamp(raw: string, field: string): string {
  const m = /^(\d{4})[/-](\d{2})[/-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(raw);
  if (!m) refuse('BAD_VALUE', `${field} is not a timestamp`);
  return `${m[1]}/${m[2]}/${m[3]} ${m[4]}:${m[5]}:${m[6]}`;
}

function organization(el: XmlElement): Organization {
  const o: Record<string, string | undefined> = {};
  for (const f of ORGANIZATION_FIELDS) o[f] = txt(el, f);
  if (!o.OrganId) refuse('MISSING_FIELD', `${el.local}/OrganId`);
  return defined(o) as Organization;
}

function staff(el: XmlElement): StaffInfo {
  const o: Record<string, string | undefined> = {};
  for (const f of STAFF_FIELDS) o[f] = txt(el, f);
  return defined(o) as StaffInfo;
}

function responseFor(el: XmlElement): ResponseFor {
  return defined({ OrganId: req(el, 'OrganId'), Code: txt(el, 'Code'), PromulgationDate: wireDate(txt(el, 'PromulgationDate'), 'ResponseFor/PromulgationDate'), DocumentId: txt(el, 'DocumentId') });
}

// ------------------------------------------------------------------ status

/** One hub emits integers: "1" → "01". Unknown codes are kept raw (docs/exchange.md §1). */
export function normaliseStatusCode(raw: string): string {
  return /^\d$/.test(raw) ? `0${raw}` : raw;
}

function readStatus(mh: XmlElement): StatusPackage {
  const rf = need(mh, 'ResponseFor');
  const staffEl = kid(mh, 'StaffInfo');
  return defined({
    kind: 'status' as const,
    From: organization(need(mh, 'From')),
    ResponseFor: { OrganId: req(rf, 'OrganId'), Code: txt(rf, 'Code') ?? '', PromulgationDate: wireDate(txt(rf, 'PromulgationDate'), 'ResponseFor/PromulgationDate') ?? '', DocumentId: req(rf, 'DocumentId') },
    StaffInfo: staffEl ? staff(staffEl) : undefined,
    StatusCode: normaliseStatusCode(req(mh, 'StatusCode')),
    Description: txt(mh, 'Description'),
    Timestamp: wireTimestamp(req(mh, 'Timestamp'), 'Timestamp'),
  });
}

// ------------------------------------------------------------------ document

function readHeader(mh: XmlElement): DocumentHeader {
  const code = need(mh, 'Code');
  const prom = need(mh, 'PromulgationInfo');
  const type = need(mh, 'DocumentType');
  const signer = need(mh, 'SignerInfo');
  const other = kid(mh, 'OtherInfo');
  const places = kid(mh, 'ToPlaces');
  const to = kids(mh, 'To').map(organization);
  if (to.length === 0) refuse('MISSING_FIELD', 'MessageHeader/To');
  const direction = other ? txt(other, 'Direction') : undefined;
  return defined({
    From: organization(need(mh, 'From')),
    To: to,
    DocumentId: req(mh, 'DocumentId'),
    Code: { CodeNumber: req(code, 'CodeNumber'), CodeNotation: req(code, 'CodeNotation') },
    PromulgationInfo: defined({ Place: txt(prom, 'Place'), PromulgationDate: wireDate(req(prom, 'PromulgationDate'), 'PromulgationDate')! }),
    DocumentType: defined({ Type: int(type, 'Type') ?? refuse('MISSING_FIELD', 'DocumentType/Type'), TypeDetail: int(type, 'TypeDetail'), TypeName: txt(type, 'TypeName') ?? '' }) as DocumentHeader['DocumentType'],
    Subject: req(mh, 'Subject'),
    Content: txt(mh, 'Content'),
    SignerInfo: defined({ Competence: txt(signer, 'Competence'), Position: txt(signer, 'Position'), FullName: txt(signer, 'FullName') ?? '' }),
    DueDate: wireDate(txt(mh, 'DueDate'), 'DueDate'),
    OtherInfo: defined({
      Priority: (other && int(other, 'Priority')) ?? 0,
      SphereOfPromulgation: other && txt(other, 'SphereOfPromulgation'),
      TyperNotation: other && txt(other, 'TyperNotation'),
      PromulgationAmount: other && int(other, 'PromulgationAmount'),
      PageAmount: other && int(other, 'PageAmount'),
      Direction: direction === undefined ? undefined : direction === 'true' || direction === '1',
      Appendixes: other ? kids(kid(other, 'Appendixes') ?? other, 'Appendix').map((a) => text(a)).filter((a): a is string => !!a) : [],
    }),
    ResponseFor: kids(mh, 'ResponseFor').map(responseFor),
    SteeringType: int(mh, 'SteeringType'),
    ToPlaces: places ? kids(places, 'Place').map((p) => text(p)).filter((p): p is string => !!p) : [],
  });
}

function readTrace(header: XmlElement): Trace {
  const list = need(header, 'TraceHeaderList');
  const b = need(list, 'Bussiness');
  const info = kid(b, 'BussinessDocumentInfo');
  const repl = kid(b, 'ReplacementInfoList');
  const docType = int(b, 'BussinessDocType') ?? refuse('MISSING_FIELD', 'Bussiness/BussinessDocType');
  if (docType < 0 || docType > 3) refuse('BAD_VALUE', `BussinessDocType ${docType}`);
  const business: Business = defined({
    DocumentId: txt(b, 'DocumentId'),
    BussinessDocType: docType,
    BussinessDocReason: txt(b, 'BussinessDocReason'),
    Paper: flag01(b, 'Paper'),
    BussinessDocumentInfo: info
      ? defined({
          DocumentInfo: flag01(info, 'DocumentInfo'),
          DocumentReceiver: flag01(info, 'DocumentReceiver'),
          ReceiverList: kids(kid(info, 'ReceiverList') ?? info, 'Receiver').map((r) => ({ OrganId: req(r, 'OrganId'), ReceiverType: int(r, 'ReceiverType') ?? 0 })),
        })
      : undefined,
    ReplacementInfoList: repl
      ? kids(repl, 'ReplacementInfo').map((r) => ({ DocumentId: req(r, 'DocumentId'), OrganIdList: kids(kid(r, 'OrganIdList') ?? r, 'OrganId').map((o) => text(o)).filter((o): o is string => !!o) }))
      : [],
    StaffInfo: kids(b, 'StaffInfo').map(staff),
  });
  return {
    TraceHeader: kids(list, 'TraceHeader').map((t) => defined({ OrganId: txt(t, 'OrganId'), Timestamp: wireTimestamp(req(t, 'Timestamp'), 'TraceHeader/Timestamp') })),
    Bussiness: business,
  };
}

const MEDIA_BY_EXT: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
  txt: 'text/plain',
  edxml: 'application/xml',
  xml: 'application/xml',
};

/** Names and types lie (docs/exchange.md §1): magic bytes first, then the name, then the wire type. */
export function mediaTypeOf(name: string, data: Buffer, wire: string | undefined): string {
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase();
  if (ext && MEDIA_BY_EXT[ext]) return MEDIA_BY_EXT[ext];
  return wire && wire !== 'application/zip' ? wire : 'application/octet-stream';
}

function readDocument(mh: XmlElement, header: XmlElement, root: XmlElement, limits: EdxmlLimits): DocumentPackage {
  const encoded = kid(root, 'AttachmentEncoded');
  const items = encoded ? kids(encoded, 'Attachment') : [];
  if (items.length > limits.maxAttachments) refuse('TOO_MANY_ELEMENTS', `${items.length} attachments`);
  const budget = { left: limits.maxAttachmentBytes };
  const attachments: Attachment[] = items.map((a, i) => {
    const payload = kid(a, 'ContentTransferEncoded')?.blob ?? refuse('MISSING_FIELD', `Attachment[${i}]/ContentTransferEncoded`);
    const name = txt(a, 'AttachmentName') ?? `attachment-${i + 1}`;
    const wire = txt(a, 'ContentType');
    // The SDK wraps each file in a one-entry zip; a zip with several entries is a file in its own right.
    const wrapped = isZip(payload) && wire === 'application/zip' && zipEntryCount(payload) === 1;
    const data = wrapped ? unzip(payload, budget, limits.maxZipRatio)[0]!.data : payload;
    return defined({
      ContentId: (txt(a, 'ContentId') ?? `att${i + 1}`).replace(/^cid:/i, ''),
      AttachmentName: name,
      Description: txt(a, 'Description'),
      ContentType: mediaTypeOf(name, data, wire),
      data,
    });
  });
  return { kind: 'edoc', header: readHeader(mh), trace: readTrace(header), attachments };
}
