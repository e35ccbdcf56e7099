import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import { isoVietnam } from '../../contract/time';
import { openDatabase, type Db } from '../db/connection';
import { migrate, schemaVersion } from '../db/migrate';
import { FileStore } from '../filestore/store';
import { Attachments } from './attachments';
import { ChainAnchors } from './anchors';
import { AuditLog, auditTrail, baselineIfNeeded } from './audit';
import { backupDatabase } from './backup';
import { checkpointDirOf, installationKeyOf, type CheckpointSigner } from './checkpoint';
import { TouchTracker } from './entity-state';
import { Books, defaultBooks } from './books';
import { WorkingCalendar, type calendarSchema } from './calendar';
import { Closures } from './closures';
import type { ActOptions, AgencyInfo, RegisterContext } from './context';
import { documentDto } from './dto';
import { invalid, mapDbError, notFound } from './errors';
import { Dossiers } from './dossiers';
import { Handling } from './handling';
import { Numbering } from './numbering';
import { Printing } from './printing';
import { Reading } from './reading';
import { issuePaths, type BookConfig } from './records';
import { Registration } from './registration';
import { SearchIndex } from './search';
import { systemClock, type Clock } from './time';
import { Today } from './today';
import { WalCheckpointer } from './wal';

export interface RegisterOptions {
  clock?: Clock;
  agency: AgencyInfo;
  /** Who acts when a call names nobody (the logged-in clerk). */
  actor?: string;
  calendar?: z.input<typeof calendarSchema>;
  /** Attachment store; default: "<db>.files" beside the database. */
  filesDir?: string;
  /** Registers created on first open; default: defaultBooks(agency.abbr). */
  books?: BookConfig[];
  /** See openDatabase; default 'full'. */
  durability?: 'full' | 'normal';
  /** The logged-in agency token's checkpoint signer, when there is one (else the installation key signs). */
  checkpointSigner?: () => CheckpointSigner | null | undefined;
  /** Default: keys/installation-ed25519.pem beside the database. */
  installationKeyPath?: string;
  /** Default: "<db>.checkpoints" beside the database. */
  checkpointDir?: string;
}

const agencySchema = z.strictObject({ name: z.string().min(1).max(200), code: z.string().max(13), abbr: z.string().min(1).max(20), parentName: z.string().max(200).optional() });

/**
 * The offline register over one SQLite file, split by job: each part below is a module of its own
 * sharing one RegisterContext (docs/register.md). Every write is one BEGIN IMMEDIATE transaction that
 * also appends its audit entry. Synchronous: run it off the UI thread (worker.ts).
 */
export class Register {
  readonly db: Db;
  readonly ctx: RegisterContext;
  readonly books: Books;
  readonly registration: Registration;
  readonly handling: Handling;
  readonly reading: Reading;
  readonly closures: Closures;
  readonly attachments: Attachments;
  readonly dossiers: Dossiers;
  readonly printing: Printing;
  readonly anchors: ChainAnchors;
  /** "Hôm nay": exact counts from maintained aggregates, a page per group. */
  readonly today: Today;
  /** Copies the WAL into the database between calls, not inside a registration (wal.ts). */
  private readonly wal: WalCheckpointer;
  readonly audit = {
    /** The chain, every registered row against it, every checkpoint, and optionally a printed "<count>:<hash>". */
    verify: (typed?: string) => this.anchors.verify(typed),
    trail: (q?: Parameters<typeof auditTrail>[1]) => auditTrail(this.db, q),
  };

  readonly backups = {
    create: (dest: string, act: ActOptions = {}) => backupDatabase(this.ctx, this.anchors, dest, act),
  };

  constructor(readonly dbPath: string, readonly opts: RegisterOptions) {
    const agency = agencySchema.safeParse(opts.agency);
    if (!agency.success) throw invalid('Thông tin cơ quan trong cấu hình không hợp lệ.', `agency: ${issuePaths(agency.error)}`);
    mkdirSync(dirname(dbPath), { recursive: true });
    this.db = openDatabase(dbPath, { durability: opts.durability ?? 'full' });
    try {
      migrate(this.db, dbPath, { now: opts.clock });
    } catch (e) {
      this.db.close();
      throw e;
    }
    const db = this.db;
    const clock = opts.clock ?? systemClock;
    const actor = opts.actor ?? 'vanthu';
    const tracker = new TouchTracker(db);
    const auditLog = new AuditLog(db, tracker);
    // Built once: better-sqlite3 prepares BEGIN/COMMIT/SAVEPOINT statements per wrapper.
    const tx = db.transaction((fn: () => unknown) => fn());
    const wal = (this.wal = new WalCheckpointer(db));
    const docById = db.prepare<[number], Record<string, unknown>>('SELECT * FROM documents WHERE id = ?');
    const index = new SearchIndex(db);
    const ctx: RegisterContext = {
      db,
      dbPath,
      agency: opts.agency,
      calendar: new WorkingCalendar(opts.calendar ?? {}),
      write: <T>(fn: () => T): T => {
        try {
          const r = tx.immediate(() => {
            const r = fn();
            auditLog.flush(ctx.nowIso(), actor);
            return r;
          }) as T;
          wal.afterWrite();
          return r;
        } catch (e) {
          throw mapDbError(e);
        }
      },
      savepoint: <T>(fn: () => T): T => tx(fn) as T,
      log: (e) => auditLog.append(ctx.nowIso(), e),
      now: clock,
      nowIso: () => isoVietnam(clock()),
      actorOf: (act) => act.actor ?? actor,
      getDoc: (id) => {
        const r = docById.get(id);
        if (!r) throw notFound('văn bản', id);
        return documentDto(r);
      },
      book: (id) => this.books.get(id),
      reindex: (id) => index.reindex(id),
      isClosed: (doc) => this.closures.isClosed(doc),
    };
    this.ctx = ctx;
    this.anchors = new ChainAnchors(db, {
      agency: opts.agency.code || opts.agency.name, now: clock, isoNow: ctx.nowIso, dir: opts.checkpointDir ?? checkpointDirOf(dbPath),
      installationKeyPath: opts.installationKeyPath ?? installationKeyOf(dbPath), ...(opts.checkpointSigner ? { signer: opts.checkpointSigner } : {}),
    });
    ctx.write(() => baselineIfNeeded(db, auditLog, tracker, schemaVersion(db), ctx.nowIso()));
    this.books = new Books(ctx);
    this.closures = new Closures(ctx, this.anchors);
    this.attachments = new Attachments(ctx, new FileStore(opts.filesDir ?? `${dbPath}.files`));
    this.dossiers = new Dossiers(ctx);
    const numbering = new Numbering(db);
    this.registration = new Registration(ctx, numbering, index, this.dossiers);
    this.reading = new Reading(ctx, (id) => this.attachments.list(id));
    this.handling = new Handling(ctx, numbering, this.registration, this.reading);
    this.printing = new Printing(ctx, this.anchors);
    this.today = new Today(ctx);
    if ((db.prepare('SELECT count(*) AS n FROM books').get() as { n: number }).n === 0) {
      this.books.configure(opts.books ?? defaultBooks(opts.agency.abbr));
    }
  }

  /** Closes the connection (not đóng sổ: see closures.close). */
  dispose(): void {
    this.wal.dispose();
    if (this.db.open) this.db.close();
  }
}

export function openRegister(dbPath: string, opts: RegisterOptions): Register {
  return new Register(dbPath, opts);
}
