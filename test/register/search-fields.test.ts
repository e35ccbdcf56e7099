import { describe, expect, it } from 'vitest';
import { vnFold } from '../../src-main/contract/text';
import { queryPhrases, TOTAL_CAP, type SearchQuery } from '../../src-main/core/register/search';
import { phraseMatch } from '../../src-main/core/register/search-rank';
import { splitWalk } from '../../src-main/core/register/search-fields';
import { SearchTerms } from '../../src-main/core/register/search-terms';
import { rng } from '../helpers/rng';
import { incoming, tempRegister } from './helpers';

// Field values sharing words, as real ones do: "Nội vụ" of a Sở and of the Bộ, "Thị" and "Văn" in most names.
const ORGANS = ['Sở Nội vụ', 'Bộ Nội vụ', 'Sở Tư pháp', 'Sở Y tế', 'Văn phòng Chính phủ'];
const SIGNERS = ['Nguyễn Thị Xuân', 'Nguyễn Văn An', 'Trần Thị Xuyến', 'Lê Văn Xuân', 'Phạm Thị An'];
const PARTS = ['kế hoạch', 'thiên tai', 'giáo dục', 'nông thôn', 'xây dựng'];

function seeded(n: number) {
  const t = tempRegister();
  const r = rng(31);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const report = t.reg.registration.importRecords(Array.from({ length: n }, () => incoming({
    Subject: PARTS.filter(() => r() < 0.4).join(' ') || 'Báo cáo',
    OrganName: pick(ORGANS),
    SignerInfo: { Position: pick(['Giám đốc', 'Phó Giám đốc']), FullName: pick(SIGNERS) },
  })));
  expect(report.failed).toEqual([]);
  return t;
}

/** The value, folded, holds each of the words whole. */
const has = (value: string, ...words: string[]) => words.every((w) => new RegExp(`\\b${w}\\b`).test(vnFold(value)));

/** Every page of a newest-first search, joined. */
function allPages(reg: ReturnType<typeof tempRegister>['reg'], q: SearchQuery): number[] {
  const out: number[] = [];
  for (let page = 1; ; page++) {
    const r = reg.reading.search({ ...q, sort: 'newest', page, pageSize: 200 });
    out.push(...r.items.map((d) => d.id));
    if (r.items.length < 200) return out;
  }
}

describe('field search: a field\'s common words checked on the rows found', () => {
  it('finds exactly what walking every word of every field finds, for whole values, parts of values and prefixes', () => {
    const { reg } = seeded(2600);
    const db = reg.db;
    const vocabulary = new SearchTerms(db);
    const queries: SearchQuery[] = [
      { text: 'ke hoach', fields: { organ: 'so noi vu', signer: 'nguyen thi xuan' } },
      // Not whole values: "noi vu" is two agencies, "thi xua" a prefix being typed, "van" in three signers.
      { text: 'thien', fields: { organ: 'noi vu', signer: 'thi xua' } },
      { fields: { organ: 'noi vu', signer: 'van' } },
      { text: 'giao', fields: { signer: 'giam doc nguyen' } },
      { fields: { organ: 'van phong chinh', signer: 'an' } },
      // More matches than the total counts: the walk stops at the cap, pages go on.
      { fields: { signer: 'doc giam' } },
    ];
    for (const q of queries) {
      const { text, fields } = queryPhrases(q);
      const phrases = [...text, ...fields].map((p) => vocabulary.expand(p));
      const every = db.prepare('SELECT rowid FROM doc_fts WHERE doc_fts MATCH ? ORDER BY rowid DESC').pluck().all(phrases.map((p) => phraseMatch(p)).join(' AND ')) as number[];
      expect(every.length).toBeGreaterThan(0);
      expect(allPages(reg, q)).toEqual(every);
      expect(reg.reading.search(q).total).toBe(Math.min(every.length, TOTAL_CAP));
    }
    // The walk did leave words to the row check (the path under test), and never a text word.
    const { text, fields } = queryPhrases(queries[1]!);
    const { walk, onRow } = splitWalk(db, [...text, ...fields].map((p) => vocabulary.expand(p)));
    expect(onRow.map((p) => p.column).sort()).toEqual(['organ', 'signer']);
    expect(walk.filter((p) => p.column === null).map((p) => p.term)).toEqual(['thien']);
    expect(new Set(walk.map((p) => p.column))).toEqual(new Set([null, 'organ', 'signer']));
  });

  it('a part of a signer\'s name equals a full scan of the register, and the ranked page is the same set', () => {
    const { reg } = seeded(1200);
    const db = reg.db;
    const scan = (db.prepare('SELECT id, Subject, TypeName, OrganName, SignerPosition, SignerFullName FROM documents ORDER BY id DESC').all() as Array<Record<string, string>>)
      .filter((d) => has(`${d.Subject} ${d.TypeName}`, 'thien') && has(`${d.SignerPosition} ${d.SignerFullName}`, 'thi', 'xuan') && has(d.OrganName!, 'vu', 'noi'))
      .map((d) => Number(d.id));
    expect(scan.length).toBeGreaterThan(20);
    const q = { text: 'thien', fields: { signer: 'xuan thi', organ: 'vu noi' } };
    expect(allPages(reg, q)).toEqual(scan);
    const ranked = reg.reading.search({ ...q, pageSize: 200 });
    expect(ranked.items.map((d) => d.id).sort((a, b) => a - b)).toEqual([...scan].sort((a, b) => a - b));
  });
});
