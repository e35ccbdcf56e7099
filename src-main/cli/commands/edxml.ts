import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { isAppError } from '../../contract/errors';
import { writeFileAtomic } from '../../core/fsx/atomic-write';
import { buildEdxml, EdxmlRefused, parseEdxml, type EdxmlPackage } from '../../core/exchange/edxml/index';
import { loadBuildSpec } from '../../core/exchange/edxml/spec';
import { EXIT, flagString, parseArgs, type CliCommand, type CliIo } from '../io';

const USAGE = `vanthu edxml — gói tin edXML (QCVN 102:2016)

  edxml parse <gói.edxml> [--json]          đọc gói tin: các trường tiêu đề, tệp đính kèm (tên, dung lượng, SHA-256)
  edxml build <mô-tả.json> -o <gói.edxml>   tạo gói tin từ tệp mô tả JSON (mô hình gói tin, tệp đính kèm theo "path")`;

/** The package as a plain summary: header fields by their edXML names; attachments without their bytes. */
export function summarise(pkg: EdxmlPackage): Record<string, unknown> {
  if (pkg.kind === 'status') return { ...pkg };
  return {
    kind: pkg.kind,
    ...pkg.header,
    TraceHeaderList: pkg.trace,
    attachments: pkg.attachments.map((a) => ({ ContentId: a.ContentId, AttachmentName: a.AttachmentName, ContentType: a.ContentType, Description: a.Description, size: a.data.length, sha256: createHash('sha256').update(a.data).digest('hex') })),
  };
}

async function parse(file: string, json: boolean, io: CliIo): Promise<number> {
  let pkg: EdxmlPackage;
  try {
    pkg = await parseEdxml(resolve(file));
  } catch (e) {
    if (e instanceof EdxmlRefused) {
      io.err(`Từ chối gói tin: ${e.vi}`);
      io.err(`[${e.reason}] ${e.message}`);
      if (json) io.out(JSON.stringify({ refused: true, reason: e.reason, message: e.vi }));
      return EXIT.FAILED;
    }
    throw e;
  }
  const s = summarise(pkg);
  if (json) {
    io.out(JSON.stringify(s, null, 2));
    return EXIT.OK;
  }
  if (pkg.kind === 'status') {
    io.out(`Gói trạng thái ${pkg.StatusCode} từ ${pkg.From.OrganId} (${pkg.From.OrganName ?? ''}) gửi ${pkg.ResponseFor.OrganId}`);
    io.out(`  DocumentId: ${pkg.ResponseFor.DocumentId}\n  Timestamp: ${pkg.Timestamp}\n  Description: ${pkg.Description ?? ''}`);
    return EXIT.OK;
  }
  const h = pkg.header;
  io.out(`Gói văn bản (BussinessDocType ${pkg.trace.Bussiness.BussinessDocType}) từ ${h.From.OrganId} gửi ${h.To.map((t) => t.OrganId).join(', ')}`);
  io.out(`  DocumentId: ${h.DocumentId}\n  Code: ${h.Code.CodeNumber}/${h.Code.CodeNotation}\n  PromulgationDate: ${h.PromulgationInfo.PromulgationDate}\n  Subject: ${h.Subject}\n  Priority: ${h.OtherInfo.Priority}`);
  for (const a of s.attachments as Array<{ AttachmentName: string; size: number; sha256: string }>) io.out(`  Đính kèm: ${a.AttachmentName}  ${a.size} byte  SHA-256 ${a.sha256}`);
  return EXIT.OK;
}

const edxml: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  const { flags, positionals } = parseArgs(rest, ['json']);
  if (sub === 'parse' && positionals.length === 1) return parse(positionals[0]!, flags.has('json'), io);
  if (sub === 'build' && positionals.length === 1 && flagString(flags, 'out')) {
    const out = resolve(flagString(flags, 'out')!);
    try {
      writeFileAtomic(out, [buildEdxml(loadBuildSpec(positionals[0]!))]);
    } catch (e) {
      if (isAppError(e)) {
        io.err(`Không tạo được gói tin: ${e.vi}`);
        io.err(`[${e.code}] ${e.message}`);
        return EXIT.FAILED;
      }
      throw e;
    }
    io.out(`Đã tạo ${out}`);
    return EXIT.OK;
  }
  io.err(USAGE);
  return EXIT.USAGE;
};
export default edxml;
