import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src-main/core/log';

describe('logger redaction', () => {
  it('drops secret-named fields and masks CCCD, phone and e-mail', () => {
    const log = memoryLogger();
    log.info('login for 012345678901 from 0912345678, mail an@example.vn', { pin: '123456', userPin: '9999', nested: { password: 'x', path: 'C:\\Users\\Nguyễn Văn A\\Desktop\\a.pdf' } });
    const line = log.lines[0]!;
    expect(line).not.toContain('012345678901');
    expect(line).not.toContain('0912345678');
    expect(line).not.toContain('an@example.vn');
    expect(line).not.toContain('123456');
    expect(line).not.toContain('9999');
    expect(line).not.toContain('Nguyễn Văn A');
    expect(line).toContain('[cccd]');
    expect(line).toContain('[redacted]');
  });

  it('never prints buffers (PINs travel as buffers)', () => {
    const log = memoryLogger();
    log.warn('x', { data: Buffer.from('123456') });
    expect(log.lines[0]).toContain('[6 bytes]');
    expect(log.lines[0]).not.toContain('123456');
  });
});
