import type { Handlers } from '../../contract/dispatch';
import { AppError } from '../../contract/errors';
import type { scanMethods } from '../../contract/scan';
import { openDatabase, type Db } from '../db/connection';
import { migrate } from '../db/migrate';
import { checkConformance } from '../scan/conformance';
import { digitize } from '../scan/digitize';
import type { DigitizedInput } from '../register/digitized';
import { digitizedRecord, requireDigitizedHere } from '../scan/provenance';
import { registerDigitized, type RegisterCalls } from '../scan/registration';
import { listScanners, PAPER_MM, scanPages } from '../scan/sane';
import type { Workspace } from '../workspace';

export interface ScanDeps {
  workspace: Workspace;
  /** The register database (migrated on first use when the register has not opened it yet). */
  dbPath: string;
  /** Sends scan.progress to every connected screen. */
  publish?: (event: string, payload: unknown) => void;
  /** The register, for digitize.register (the backend's register worker). */
  register?: RegisterCalls;
  /**
   * Records a PDF digitised here through the register, in its audit chain (the backend's register worker;
   * contract/issuing.ts). Without it digitize.assemble refuses: a record outside the chain would not be evidence.
   */
  recordDigitized?: (r: DigitizedInput) => Promise<unknown> | unknown;
  /** Environment of the scanner and OCR programs (SANE_CONFIG_DIR in tests). */
  env?: NodeJS.ProcessEnv;
}

/**
 * scan.* and digitize.*: the same core the CLI runs (core/scan). Runs are cancellable by the job id the
 * screen chose; pages scanned here are remembered so a PDF made only of them is recorded as a scan.
 */
export interface ScanService {
  handlers: Handlers<typeof scanMethods>;
  /** The Điều 17.4.c gate for the signer: throws unless these bytes were digitised here and conform. */
  requireDigitizedHere(bytes: Uint8Array): void;
  close(): void;
}

export function scanService(deps: ScanDeps): ScanService {
  const running = new Map<string, AbortController>();
  const scannedHere = new Set<string>();
  let db: Db | null = null;
  // The register worker starts on its first call, so the scan side may be first to open the file: it
  // brings the schema up to date itself (the migration runner is idempotent and transactional).
  const database = (): Db => {
    if (db) return db;
    const opened = openDatabase(deps.dbPath);
    migrate(opened, deps.dbPath);
    return (db = opened);
  };
  const start = (jobId: string): AbortController => {
    if (running.has(jobId)) throw new AppError('CONFLICT', 'Công việc này đang chạy.', `job ${jobId} already running`);
    const c = new AbortController();
    running.set(jobId, c);
    return c;
  };
  const emit = (payload: unknown) => deps.publish?.('scan.progress', payload);

  const handlers: Handlers<typeof scanMethods> = {
    'scan.devices': async () => ({ devices: await listScanners(deps.env) }),
    'scan.acquire': async ({ jobId, device, dpi, mode, source, paper }) => {
      const abort = start(jobId);
      try {
        const ids: string[] = [];
        await scanPages({ device, dpi, mode, source, widthMm: PAPER_MM[paper][0], heightMm: PAPER_MM[paper][1] }, {
          env: deps.env, signal: abort.signal,
          onPage: (p) => {
            const stored = deps.workspace.put(`trang-${p.index + 1}.png`, p.png);
            scannedHere.add(stored.fileId);
            ids.push(stored.fileId);
            emit({ jobId, stage: 'scan', page: p.index + 1, done: p.index + 1, pageCount: null, fileId: stored.fileId });
          },
        });
        return { pages: ids };
      } finally {
        running.delete(jobId);
      }
    },
    'scan.cancel': ({ jobId }) => {
      const c = running.get(jobId);
      c?.abort();
      return { cancelled: c !== undefined };
    },
    'digitize.assemble': async ({ jobId, files, arrangement, ocr, dpi, jpegQuality, name }) => {
      const abort = start(jobId);
      try {
        const inputs = files.map((id) => { const r = deps.workspace.read(id); return { name: r.file.name, bytes: r.bytes }; });
        const result = await digitize(inputs, {
          ocr, fallbackDpi: dpi, jpegQuality, signal: abort.signal, ...(arrangement ? { arrangement } : {}),
          onOcrProgress: (p) => emit({ jobId, stage: 'ocr', page: p.page, done: p.done, pageCount: p.pageCount }),
        });
        const stored = deps.workspace.put(name ?? 'so-hoa.pdf', result.pdf);
        if (!deps.recordDigitized) throw new AppError('INTERNAL', 'Không mở được sổ đăng ký.', 'digitize.assemble: no register to record the digitised file');
        await deps.recordDigitized({
          sha256: stored.sha256, source: files.every((f) => scannedHere.has(f)) ? 'scan' : 'import',
          pageCount: result.report.pageCount, conforms: result.report.conforms, ocr,
        });
        return { fileId: stored.fileId, name: stored.name, report: result.report, pageTexts: result.pageTexts, sha256: stored.sha256 };
      } finally {
        running.delete(jobId);
      }
    },
    'digitize.check': ({ fileId }) => checkConformance(deps.workspace.readPdf(fileId).bytes),
    'digitize.register': async ({ fileId, record }) => {
      if (!deps.register) throw new AppError('INTERNAL', 'Không mở được sổ đăng ký.', 'digitize.register: no register given to the scan service');
      const { file, bytes } = deps.workspace.readPdf(fileId);
      return registerDigitized(database(), deps.register, { name: file.name, bytes }, record);
    },
    'digitize.provenance': ({ fileId }) => {
      const record = digitizedRecord(database(), deps.workspace.stat(fileId).sha256);
      return {
        digitizedHere: record?.conforms === true,
        record: record ? { source: record.source, createdAt: record.createdAt, pageCount: record.pageCount, conforms: record.conforms, ocr: record.ocr } : null,
      };
    },
  };
  return {
    handlers,
    requireDigitizedHere: (bytes) => requireDigitizedHere(database(), bytes),
    close() {
      for (const c of running.values()) c.abort();
      db?.close();
      db = null;
    },
  };
}
