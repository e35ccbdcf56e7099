import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as limits from '../../src-main/contract/limits';
import { signMethods } from '../../src-main/contract/sign';
import * as time from '../../src-main/contract/time';
import { COPY_FORMS, PRINT_KINDS, PRIORITY_NAMES, SECRECY_NAMES } from '../../src-main/contract/vocabulary';
import { settingsSchema } from '../../src-main/core/config';
import { batchJobDescriptionSchema } from '../../src-main/cli/sign/jobs-file';

const root = join(import.meta.dirname, '../..');
const issueInput = signMethods['sign.issue'].input;
const fileId = 'A'.repeat(32);
const token = 'pkcs11:token=VANTHU-AGENCY';
const issue = (over: Record<string, unknown>) => ({ fileId, token, number: 1, notation: 'QĐ-UBND', date: '2026-03-10', sealMm: 36, ...over });

describe('one vocabulary in the contract', () => {
  it('names the copy forms, print kinds, urgency and secrecy once', () => {
    expect(COPY_FORMS).toEqual(['SAO Y', 'SAO LỤC', 'TRÍCH SAO']);
    expect(PRINT_KINDS).toContain('so-den');
    expect(PRIORITY_NAMES[3]).toBe('Hỏa tốc');
    expect(SECRECY_NAMES[3]).toBe('Tuyệt mật');
    // the contract's copy enum is built from the same list
    const copy = signMethods['sign.copy'].input;
    for (const form of COPY_FORMS) expect(copy.safeParse({ fileId, token, form, agency: 'UBND' }).success).toBe(true);
    expect(copy.safeParse({ fileId, token, form: 'SAO CHÉP', agency: 'UBND' }).success).toBe(false);
  });

  it('the contract, the CLI job file and the settings apply the same limits', () => {
    const notation = (n: number) => 'Q'.repeat(n - 4) + 'Đ-UB';
    expect(issueInput.safeParse(issue({ notation: notation(limits.NOTATION_MAX_CHARS) })).success).toBe(true);
    expect(issueInput.safeParse(issue({ notation: notation(limits.NOTATION_MAX_CHARS + 1) })).success).toBe(false);
    const job = (over: Record<string, unknown>) => batchJobDescriptionSchema.safeParse({ kind: 'issue', input: 'a.pdf', output: 'b.pdf', book: 'di', number: 1, notation: 'QĐ-UBND', ...over }).success;
    expect(job({ notation: notation(limits.NOTATION_MAX_CHARS) })).toBe(true);
    expect(job({ notation: notation(limits.NOTATION_MAX_CHARS + 1) })).toBe(false);

    for (const [mm, ok] of [[limits.SEAL_MM_MIN, true], [limits.SEAL_MM_MAX, true], [limits.SEAL_MM_MIN - 1, false], [limits.SEAL_MM_MAX + 1, false]] as const) {
      expect(issueInput.safeParse(issue({ sealMm: mm })).success).toBe(ok);
      expect(job({ sealMm: mm })).toBe(ok);
      expect(settingsSchema().shape.sealMm.safeParse(mm).success).toBe(ok);
    }
    expect(limits.SEAL_MM_DEFAULT).toBeGreaterThanOrEqual(limits.SEAL_MM_MIN);
    expect(limits.SEAL_MM_DEFAULT).toBeLessThanOrEqual(limits.SEAL_MM_MAX);

    for (const [date, ok] of [[`${limits.YEAR_MIN}-01-01`, true], [`${limits.YEAR_MAX}-12-31`, true], [`${limits.YEAR_MIN - 1}-12-31`, false], [`${limits.YEAR_MAX + 1}-01-01`, false], ['2026-02-29', false], ['2028-02-29', true]] as const) {
      expect(issueInput.safeParse(issue({ date })).success, date).toBe(ok);
      expect(job({ date }), date).toBe(ok);
    }
    expect(issueInput.safeParse(issue({ number: limits.DOC_NUMBER_MAX + 1 })).success).toBe(false);

    const batch = signMethods['sign.batch'].input;
    const jobs = (n: number) => Array.from({ length: n }, () => ({ kind: 'appendix', fileId, ref: '12/QĐ-UBND' }));
    expect(batch.safeParse({ token, jobs: jobs(limits.MAX_BATCH_JOBS) }).success).toBe(true);
    expect(batch.safeParse({ token, jobs: jobs(limits.MAX_BATCH_JOBS + 1) }).success).toBe(false);
  });

  it('keeps Vietnam time in one place', () => {
    const instant = new Date('2026-12-31T17:30:05Z'); // already 1 January in Hà Nội
    expect(time.isoVietnam(instant)).toBe('2027-01-01T00:30:05+07:00');
    expect(time.dateInVietnam(instant)).toBe('2027-01-01');
    expect(time.yearInVietnam(instant)).toBe(2027);
    expect(time.timeInVietnam(instant)).toBe('00:30');
    expect(time.dayInVietnam(instant)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(time.vietnamInstant('2027-01-01', '00:30').getTime()).toBe(instant.getTime() - 5000);
    expect(time.isDocumentDay({ year: 2026, month: 2, day: 29 })).toBe(false);
    // the zone name the screens format with agrees with the fixed offset
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: time.VIETNAM_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
    expect(fmt.format(instant)).toBe(time.dateInVietnam(instant));
  });

  it('no source file in src-main or src-renderer restates the vocabulary', () => {
    const home = new Set(['src-main/contract/time.ts', 'src-main/contract/vocabulary.ts', 'src-main/contract/limits.ts']);
    const copies = [/7 \* 3600/, /'\+07:00'|T00:00:00\+07:00/, /Asia\/Ho_Chi_Minh/, /\['SAO Y'/, /'so-den' \|/, /\['Thường'/, /sealMm: z\.number\(\)\.min\(\d/, /MAX_BATCH_JOBS = /, /min\(1900\)|min\(1945\)/, /z\.enum\(\['den', ?'di'\]\)/, /pageSize: z\.number\(\)\.int\(\)\.min\(1\)\.max\(\d/];
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) { walk(p); continue; }
        if (!/\.tsx?$/.test(name)) continue;
        const rel = relative(root, p);
        if (home.has(rel)) continue;
        const src = readFileSync(p, 'utf8');
        for (const re of copies) if (re.test(src)) offenders.push(`${rel}: ${re}`);
      }
    };
    walk(join(root, 'src-main'));
    walk(join(root, 'src-renderer'));
    expect(offenders).toEqual([]);
  });
});
