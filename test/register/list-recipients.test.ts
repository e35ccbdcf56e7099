import { describe, expect, it } from 'vitest';
import { incoming, outgoing, tempRegister } from './helpers';

describe('register list rows', () => {
  it('a văn bản đi row names its first nơi nhận (register page and search); a văn bản đến row keeps its issuer', () => {
    const { reg } = tempRegister();
    const to = ['Sở Nội vụ', 'Sở Tài chính', 'Sở Y tế', 'Sở Xây dựng'].map((OrganName) => ({ OrganName }));
    reg.registration.register(outgoing({ To: to, Subject: 'Về việc báo cáo nhân sự' }));
    reg.registration.register(outgoing({ To: [], Subject: 'Về việc lưu hành nội bộ' }));
    reg.registration.register(incoming());
    const page = reg.reading.list({ book: 'di', year: 2026 }).items;
    expect(page.map((d) => d.recipients)).toEqual([['Sở Nội vụ', 'Sở Tài chính', 'Sở Y tế'], []]);
    const found = reg.reading.search({ text: 'nhan su' }).items;
    expect(found.map((d) => d.recipients)).toEqual([['Sở Nội vụ', 'Sở Tài chính', 'Sở Y tế']]);
    const den = reg.reading.list({ book: 'den', year: 2026 }).items[0]!;
    expect(den.recipients).toBeUndefined();
    expect(den.OrganName).not.toBeNull();
  });
});
