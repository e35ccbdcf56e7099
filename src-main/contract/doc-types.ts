/**
 * Tên loại văn bản hành chính and their abbreviations (NĐ 30/2020 Phụ lục III), plus "Văn bản quy
 * phạm pháp luật" types an agency receives. Zod-free: the register form, the CLI and core read the same
 * list. The copy forms (SY, SL, TrS) are not document types: see COPY_FORMS in vocabulary.ts.
 */
export interface DocType {
  readonly name: string;
  /** Abbreviation used in the ký hiệu; null where NĐ 30 gives none (Công văn, Thư công). */
  readonly abbr: string | null;
  /** Types an agency issues (hành chính); the others are only received. */
  readonly issued: boolean;
}

const admin = (name: string, abbr: string | null): DocType => ({ name, abbr, issued: true });
const legal = (name: string): DocType => ({ name, abbr: null, issued: false });

export const DOC_TYPES: readonly DocType[] = [
  admin('Công văn', null),
  admin('Nghị quyết', 'NQ'),
  admin('Quyết định', 'QĐ'),
  admin('Chỉ thị', 'CT'),
  admin('Quy chế', 'QC'),
  admin('Quy định', 'QyĐ'),
  admin('Thông cáo', 'TC'),
  admin('Thông báo', 'TB'),
  admin('Hướng dẫn', 'HD'),
  admin('Chương trình', 'CTr'),
  admin('Kế hoạch', 'KH'),
  admin('Phương án', 'PA'),
  admin('Đề án', 'ĐA'),
  admin('Dự án', 'DA'),
  admin('Báo cáo', 'BC'),
  admin('Biên bản', 'BB'),
  admin('Tờ trình', 'TTr'),
  admin('Hợp đồng', 'HĐ'),
  admin('Công điện', 'CĐ'),
  admin('Bản ghi nhớ', 'BGN'),
  admin('Bản thỏa thuận', 'BTT'),
  admin('Giấy ủy quyền', 'GUQ'),
  admin('Giấy mời', 'GM'),
  admin('Giấy giới thiệu', 'GGT'),
  admin('Giấy nghỉ phép', 'GNP'),
  admin('Phiếu gửi', 'PG'),
  admin('Phiếu chuyển', 'PC'),
  admin('Phiếu báo', 'PB'),
  admin('Thư công', null),
  legal('Hiến pháp'),
  legal('Bộ luật'),
  legal('Luật'),
  legal('Pháp lệnh'),
  legal('Lệnh'),
  legal('Nghị định'),
  legal('Thông tư'),
  legal('Thông tư liên tịch'),
];

/** The names a register form offers for a direction: every type for đến, the issued ones for đi. */
export function docTypeNames(direction: 'den' | 'di'): string[] {
  return DOC_TYPES.filter((d) => direction === 'den' || d.issued).map((d) => d.name);
}
