import { describe, expect, it } from 'vitest';
import { vnFold } from '../../src-main/contract/text';
import { RANK_WINDOW, SearchIndex } from '../../src-main/core/register/search';
import { FTS_COLUMNS, ftsValues, words } from '../../src-main/core/register/search-columns';
import { IDF_HITS } from '../../src-main/core/register/search-rank';
import { MAX_EXPANSION, SearchTerms } from '../../src-main/core/register/search-terms';
import { rng } from '../helpers/rng';
import { incoming, tempRegister } from './helpers';

const PARTS = ['kế hoạch', 'thiên tai', 'giáo dục', 'nông thôn', 'chuyển đổi số', 'xây dựng', 'cán bộ', 'đất đai'];
const SIGNERS = ['Nguyễn Thị An', 'Trần Thị Bình', 'Lê Minh Cường', 'Đặng Văn Hải'];
const ORGANS = ['Sở Nội vụ', 'Sở Y tế', 'Công an tỉnh', 'Sở Tư pháp', 'Văn phòng Chính phủ', 'Sở Công Thương'];

/**
 * A register of `n` documents whose words recur (each part of a subject is in one document in five).
 * A subject holds each word at most once: the index records which columns hold a term, not how often
 * (detail=column), so the register's bm25 counts a column once, and so does the judge on such text.
 */
function seeded(n: number, seed = 7) {
  const t = tempRegister();
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const records = Array.from({ length: n }, () => incoming({
    Subject: PARTS.filter(() => r() < 0.2).join(' ') || 'Báo cáo',
    TypeName: pick(['Công văn', 'Báo cáo', 'Tờ trình']),
    OrganName: pick(ORGANS),
    SignerInfo: { Position: 'Giám đốc', FullName: pick(SIGNERS) },
  }));
  const report = t.reg.registration.importRecords(records);
  expect(report.failed).toEqual([]);
  return t;
}

const WEIGHTS = '10, 2, 3, 5, 2, 1, 1, 1';

describe('search ranking', () => {
  it('gives bm25 scores and order over the newest matches (register below the IDF sample), then the older matches newest first', () => {
    // Every query word is in fewer than IDF_HITS documents: document frequencies are exact.
    const { reg } = seeded(700);
    // The judge: FTS5's own bm25 on a table that keeps its text. On the register's contentless index
    // it scores every row 0 (with detail=column FTS5 finds the columns a term is in by re-reading the
    // text), which is why the register ranks itself.
    reg.db.exec(`CREATE VIRTUAL TABLE temp.judge USING fts5(${FTS_COLUMNS.join(', ')}, detail = column, tokenize = 'unicode61 remove_diacritics 0')`);
    const put = reg.db.prepare(`INSERT INTO temp.judge (rowid, ${FTS_COLUMNS.join(', ')}) VALUES (?, ${FTS_COLUMNS.map(() => '?').join(', ')})`);
    for (const row of reg.db.prepare('SELECT * FROM documents').all() as Array<Record<string, unknown>>) put.run(row.id, ...ftsValues(row, ''));
    expect(reg.db.prepare(`SELECT bm25(doc_fts, ${WEIGHTS}) FROM doc_fts WHERE doc_fts MATCH '"thien"' LIMIT 1`).pluck().get()).toBe(-0);
    const queries = [
      { text: 'thien tai', match: '"thien" AND "tai"*' },
      { text: 'ke hoa', match: '"ke" AND "hoa"*' },
      { text: 'nong thon', year: 2026, match: '"nong" AND "thon"*' },
      { text: 'giao duc', fields: { signer: 'dang van' }, match: '"giao" AND "duc"* AND {signer} : "dang" AND {signer} : "van"*' },
      { text: 'xay', fields: { organ: 'noi vu' }, match: '"xay"* AND {organ} : "noi" AND {organ} : "vu"' },
    ];
    for (const { match, ...q } of queries) {
      const all = reg.db.prepare(`SELECT rowid AS id, bm25(judge, ${WEIGHTS}) AS s FROM temp.judge WHERE judge MATCH ? ORDER BY rowid DESC`).all(match) as Array<{ id: number; s: number }>;
      const want = new Map(all.slice(0, RANK_WINDOW).map((r) => [r.id, r.s]));
      expect(want.size).toBeGreaterThan(10);
      for (const w of match.split(' AND ')) expect(reg.db.prepare('SELECT count(*) FROM doc_fts WHERE doc_fts MATCH ?').pluck().get(w)).toBeLessThan(IDF_HITS);
      expect(new Set(want.values()).size).toBeGreaterThan(3);
      const got = Array.from({ length: Math.ceil(all.length / 200) }, (_, i) => reg.reading.search({ ...q, page: i + 1, pageSize: 200 }).items).flat();
      const ranked = got.slice(0, want.size);
      expect(ranked.map((d) => d.id).sort((a, b) => a - b)).toEqual([...want.keys()].sort((a, b) => a - b));
      for (const d of ranked) expect(d.score).toBeCloseTo(want.get(d.id)!, 9);
      // Best first, ties newest first.
      for (let i = 1; i < ranked.length; i++) {
        const [a, b] = [ranked[i - 1]!, ranked[i]!];
        expect(a.score! < b.score! || (a.score === b.score && a.id > b.id)).toBe(true);
      }
      expect(got.slice(want.size).map((d) => [d.id, d.score])).toEqual(all.slice(RANK_WINDOW).map((r) => [r.id, null]));
    }
  });

  it('a common word with a rare signer finds exactly the documents a full scan finds, best first', () => {
    const { reg } = seeded(800, 11);
    const rare = [0, 1, 2, 3, 4].map((i) => reg.registration.register(incoming({
      Subject: i % 2 ? 'Kế hoạch phòng chống thiên tai' : 'Báo cáo xây dựng',
      SignerInfo: { Position: 'Phó Chủ tịch', FullName: 'Hà Thị Xuân' },
    })).document.id);
    const scan = (reg.db.prepare('SELECT id, Subject, TypeName, SignerFullName FROM documents').all() as Array<{ id: number; Subject: string; TypeName: string; SignerFullName: string | null }>)
      .filter((d) => /\bke\b/.test(vnFold(`${d.Subject} ${d.TypeName}`)) && /\bxuan/.test(vnFold(d.SignerFullName ?? '')))
      .map((d) => d.id);
    expect(scan).toEqual([rare[1], rare[3]]);
    const r = reg.reading.search({ text: 'ke', fields: { signer: 'xuan' } });
    expect(r.items.map((d) => d.id).sort()).toEqual(scan.sort());
    expect(r.total).toBe(2);
    expect(r.items.every((d) => typeof d.score === 'number' && d.score < 0)).toBe(true);
  });

  it('a pure field filter is not ranked: newest first, every match, no score', () => {
    const { reg } = seeded(300, 5);
    const scan = (reg.db.prepare('SELECT id, OrganName FROM documents ORDER BY id DESC').all() as Array<{ id: number; OrganName: string }>)
      .filter((d) => vnFold(d.OrganName) === 'so tu phap')
      .map((d) => d.id);
    const r = reg.reading.search({ fields: { organ: 'tu phap' }, pageSize: 200 });
    const more = reg.reading.search({ fields: { organ: 'tu phap' }, pageSize: 200, page: 2 });
    expect([...r.items, ...more.items].map((d) => d.id)).toEqual(scan);
    expect(r.total).toBe(scan.length);
    expect(r.items.every((d) => d.score === null)).toBe(true);
  });

  it('a prefix being typed finds what the FTS5 prefix finds: as its few whole words, or as a prefix when they are many or digits', () => {
    const { reg } = tempRegister();
    const many = Array.from({ length: MAX_EXPANSION + 4 }, (_, i) => `abc${String.fromCharCode(97 + i)}`);
    for (const s of ['Kế hoạch năm 2026', 'Hoàn thành', 'Hoa mai', 'Báo cáo 2025', many.join(' ')]) reg.registration.register(incoming({ Subject: s }));
    // A word first seen after the vocabulary was filled is in it too.
    reg.registration.register(incoming({ Subject: 'Hoạt động' }));
    const terms = new SearchTerms(reg.db);
    expect(terms.expand({ term: 'hoa', prefix: true, column: null }).terms).toEqual(['hoa', 'hoach', 'hoan', 'hoat']);
    expect(terms.expand({ term: 'abc', prefix: true, column: null }).terms).toBeUndefined();
    expect(terms.expand({ term: '202', prefix: true, column: null }).terms).toBeUndefined();
    for (const prefix of ['hoa', 'hoac', 'abc', '202', 'xyz']) {
      const fts = reg.db.prepare('SELECT rowid FROM doc_fts WHERE doc_fts MATCH ? ORDER BY rowid DESC').pluck().all(`"${prefix}"*`);
      expect(reg.reading.search({ text: prefix, sort: 'newest', pageSize: 200 }).items.map((d) => d.id)).toEqual(fts);
      expect(reg.reading.search({ fields: { subject: `bao ${prefix}` }, pageSize: 200 }).total).toBe(prefix === '202' ? 1 : 0);
    }
  });

  it('a word in more documents than IDF_HITS has its document frequency estimated from its newest postings, within 1 %', () => {
    const { reg } = tempRegister();
    reg.registration.importRecords(Array.from({ length: IDF_HITS * 4 }, (_, i) => incoming({ Subject: i % 3 ? 'Báo cáo tình hình' : 'Kế hoạch năm' })));
    const exact = reg.db.prepare(`SELECT count(*) FROM doc_fts WHERE doc_fts MATCH '"hoach"'`).pluck().get() as number;
    expect(exact).toBeGreaterThan(IDF_HITS);
    // bm25 with the exact count, lengths counted from the rows themselves.
    const docs = reg.db.prepare('SELECT * FROM documents ORDER BY id').all() as Array<Record<string, unknown>>;
    const length = (d: Record<string, unknown>) => ftsValues(d, '').reduce((n, v) => n + words(v).length, 0);
    const avgdl = docs.reduce((n, d) => n + length(d), 0) / docs.length;
    const top = reg.reading.search({ text: 'hoach', pageSize: 1 }).items[0]!;
    const idf = Math.log((docs.length - exact + 0.5) / (exact + 0.5));
    const f = 5; // trích yếu only
    const want = -idf * ((f * 2.2) / (f + 1.2 * (0.25 + (0.75 * length(docs.find((d) => d.id === top.id)!)) / avgdl)));
    expect(Math.abs(top.score! / want - 1)).toBeLessThan(0.01);
  });

  it('a word only in a document extracted text counts, with the weight of the body column', () => {
    const { reg } = tempRegister();
    const subject = reg.registration.register(incoming({ Subject: 'Phòng chống thiên tai' })).document.id;
    const body = reg.registration.register(incoming({ Subject: 'Báo cáo tháng' })).document.id;
    reg.registration.register(incoming({ Subject: 'Báo cáo quý' }));
    // Written as attaching a file writes it: the text, then the document's index row again.
    reg.db.prepare('INSERT INTO doc_text (doc_id, body) VALUES (?, ?)').run(body, 'Nội dung về thiên tai');
    new SearchIndex(reg.db).reindex(body);
    const r = reg.reading.search({ text: 'thien tai' }).items;
    expect(r.map((d) => d.id)).toEqual([subject, body]);
    expect(r[1]!.score).toBeLessThan(0);
    expect(r[0]!.score!).toBeLessThan(r[1]!.score!);
  });
});
