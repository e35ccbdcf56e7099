import * as z from 'zod';
import { refuse } from './errors';
import { DEFAULT_LIMITS } from './limits';
import {
  documentPackageSchema, ORGANIZATION_FIELDS, STAFF_FIELDS, statusPackageSchema,
  type Attachment, type DocumentPackage, type Organization, type StaffInfo, type StatusPackage,
} from './model';
import { EDXML_NS } from './xml-reader';
import { zipOne } from './zip';

/**
 * Strict out (docs/exchange.md §1): the model is checked against the schemas, then written in the
 * SDK layout — default namespace on the root, `edXML:` prefix in the envelope, unprefixed
 * `AttachmentEncoded` whose `ContentTransferEncoded` re-declares the prefix — in sample element order,
 * UTF-8 without BOM. Attachments are zipped as the SDK does unless `zip: false`.
 */
export interface BuildOptions {
  zip?: boolean;
}

const P = 'edXML:';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
function leaf(name: string, value: string | number | boolean | undefined, prefix = P): string {
  return value === undefined ? '' : `<${prefix}${name}>${esc(String(value))}</${prefix}${name}>`;
}
function group(name: string, inner: string, prefix = P): string {
  return `<${prefix}${name}>${inner}</${prefix}${name}>`;
}
function organization(name: string, o: Organization): string {
  return group(name, ORGANIZATION_FIELDS.map((f) => leaf(f, o[f])).join(''));
}
function staff(s: StaffInfo): string {
  return group('StaffInfo', STAFF_FIELDS.map((f) => leaf(f, s[f])).join(''));
}
function envelope(inner: string, tail = ''): Buffer {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="${EDXML_NS}">\n<${P}edXMLEnvelope xmlns:edXML="${EDXML_NS}">${inner}</${P}edXMLEnvelope>${tail}\n</edXML>\n`;
  return Buffer.from(xml, 'utf8');
}

function strict<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) refuse('BAD_VALUE', `${what}: ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('/')} ${i.message}`).join('; ')}`);
  return r.data;
}

export function buildStatus(pkg: StatusPackage): Buffer {
  const s = strict(statusPackageSchema, pkg, 'status package');
  const rf = s.ResponseFor;
  const mh = [
    organization('From', s.From),
    group('ResponseFor', leaf('OrganId', rf.OrganId) + leaf('Code', rf.Code) + leaf('PromulgationDate', rf.PromulgationDate) + leaf('DocumentId', rf.DocumentId)),
    s.StaffInfo ? staff(s.StaffInfo) : '',
    leaf('StatusCode', s.StatusCode),
    leaf('Description', s.Description),
    leaf('Timestamp', s.Timestamp),
  ].join('');
  return envelope(group('edXMLHeader', group('MessageHeader', mh)));
}

const EXT_BY_MEDIA: Record<string, string> = { 'application/pdf': 'pdf', 'text/plain': 'txt', 'application/xml': 'xml' };

export function buildDocument(pkg: DocumentPackage, opts: BuildOptions = {}): Buffer {
  const d = strict(documentPackageSchema, pkg, 'document package');
  const h = d.header;
  const b = d.trace.Bussiness;
  if ((b.BussinessDocType === 0 || b.BussinessDocType === 3) && d.attachments.length === 0) refuse('MISSING_FIELD', 'types 0 and 3 need at least one attachment');
  const total = d.attachments.reduce((n, a) => n + a.data.length, 0);
  if (total > DEFAULT_LIMITS.maxAttachmentBytes) refuse('ATTACHMENT_TOO_LARGE', `attachments total ${total} bytes`);
  const o = h.OtherInfo;
  const mh = [
    organization('From', h.From),
    ...h.To.map((t) => organization('To', t)),
    leaf('DocumentId', h.DocumentId),
    group('Code', leaf('CodeNumber', h.Code.CodeNumber) + leaf('CodeNotation', h.Code.CodeNotation)),
    group('PromulgationInfo', leaf('Place', h.PromulgationInfo.Place) + leaf('PromulgationDate', h.PromulgationInfo.PromulgationDate)),
    group('DocumentType', leaf('Type', h.DocumentType.Type) + leaf('TypeDetail', h.DocumentType.TypeDetail) + leaf('TypeName', h.DocumentType.TypeName)),
    leaf('Subject', h.Subject),
    leaf('Content', h.Content),
    group('SignerInfo', leaf('Competence', h.SignerInfo.Competence) + leaf('Position', h.SignerInfo.Position) + leaf('FullName', h.SignerInfo.FullName)),
    leaf('DueDate', h.DueDate),
    group('OtherInfo', [
      leaf('Priority', o.Priority), leaf('SphereOfPromulgation', o.SphereOfPromulgation), leaf('TyperNotation', o.TyperNotation),
      leaf('PromulgationAmount', o.PromulgationAmount), leaf('PageAmount', o.PageAmount), leaf('Direction', o.Direction),
      o.Appendixes.length ? group('Appendixes', o.Appendixes.map((a) => leaf('Appendix', a)).join('')) : '',
    ].join('')),
    ...h.ResponseFor.map((r) => group('ResponseFor', leaf('OrganId', r.OrganId) + leaf('Code', r.Code) + leaf('PromulgationDate', r.PromulgationDate) + leaf('DocumentId', r.DocumentId))),
    leaf('SteeringType', h.SteeringType),
    h.ToPlaces.length ? group('ToPlaces', h.ToPlaces.map((p) => leaf('Place', p)).join('')) : '',
  ].join('');
  const info = b.BussinessDocumentInfo;
  const business = group('Bussiness', [
    leaf('DocumentId', b.DocumentId),
    leaf('BussinessDocType', b.BussinessDocType),
    leaf('BussinessDocReason', b.BussinessDocReason),
    leaf('Paper', b.Paper),
    info ? group('BussinessDocumentInfo', leaf('DocumentInfo', info.DocumentInfo) + leaf('DocumentReceiver', info.DocumentReceiver) +
      group('ReceiverList', info.ReceiverList.map((r) => group('Receiver', leaf('OrganId', r.OrganId) + leaf('ReceiverType', r.ReceiverType))).join(''))) : '',
    b.ReplacementInfoList.length ? group('ReplacementInfoList', b.ReplacementInfoList.map((r) =>
      group('ReplacementInfo', leaf('DocumentId', r.DocumentId) + group('OrganIdList', r.OrganIdList.map((id) => leaf('OrganId', id)).join('')))).join('')) : '',
    ...b.StaffInfo.map(staff),
  ].join(''));
  const trace = group('TraceHeaderList', d.trace.TraceHeader.map((t) => group('TraceHeader', leaf('OrganId', t.OrganId) + leaf('Timestamp', t.Timestamp))).join('') + business);
  const wire = d.attachments.map((a) => wireAttachment(a, opts.zip ?? true));
  const manifest = group('edXMLManifest', wire.map((w) =>
    group('Reference', leaf('ContentId', `cid:${w.a.ContentId}`) + leaf('ContentType', w.type) + leaf('Description', w.a.Description) + leaf('AttachmentName', w.a.AttachmentName))).join(''))
    .replace(`<${P}edXMLManifest>`, `<${P}edXMLManifest version="1.0">`);
  const encoded = wire.length
    ? `\n<AttachmentEncoded>${wire.map((w) => `<Attachment>${leaf('ContentId', `cid:${w.a.ContentId}`, '')}${leaf('AttachmentName', w.a.AttachmentName, '')}${leaf('Description', w.a.Description, '')}${leaf('ContentType', w.type, '')}<${P}ContentTransferEncoded xmlns:edXML="${EDXML_NS}">${w.bytes.toString('base64')}</${P}ContentTransferEncoded></Attachment>`).join('')}</AttachmentEncoded>`
    : '';
  return envelope(group('edXMLHeader', group('MessageHeader', mh) + trace) + group('edXMLBody', manifest), encoded);
}

function wireAttachment(a: Attachment, zip: boolean): { a: Attachment; type: string; bytes: Buffer } {
  if (!zip) return { a, type: a.ContentType, bytes: a.data };
  const ext = EXT_BY_MEDIA[a.ContentType] ?? /\.([A-Za-z0-9]{1,8})$/.exec(a.AttachmentName)?.[1] ?? 'bin';
  return { a, type: 'application/zip', bytes: zipOne(`${a.ContentId}.${ext}`, a.data) };
}

export function buildEdxml(pkg: DocumentPackage | StatusPackage, opts: BuildOptions = {}): Buffer {
  return pkg.kind === 'status' ? buildStatus(pkg) : buildDocument(pkg, opts);
}
