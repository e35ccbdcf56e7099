import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineMethod, text } from '../../src-main/contract/api';
import { createDispatcher } from '../../src-main/contract/dispatch';
import { AppError } from '../../src-main/contract/errors';

const api = {
  'demo.echo': defineMethod(z.strictObject({ name: text(10) }), z.object({ name: z.string() })),
  'demo.fail': defineMethod(z.strictObject({}), z.object({})),
  'demo.crash': defineMethod(z.strictObject({}), z.object({})),
  'demo.drift': defineMethod(z.strictObject({}), z.object({ n: z.number() })),
  'demo.undeclared': defineMethod(z.strictObject({}), z.object({ rows: z.array(z.object({ id: z.number() })) })),
};

describe('dispatch', () => {
  const lines: string[] = [];
  const dispatch = createDispatcher(
    api,
    {
      'demo.echo': (i) => ({ name: i.name }),
      'demo.fail': () => {
        throw new AppError('TOKEN_PIN_INCORRECT', 'Mã PIN không đúng.', 'C_Login returned CKR_PIN_INCORRECT', { finalTry: true });
      },
      'demo.crash': () => {
        throw new Error('secret internal detail');
      },
      'demo.drift': () => ({ n: 'not a number' }) as unknown as { n: number },
      // The renderer once read duplicates[].code, a field the contract never declared.
      'demo.undeclared': () => ({ rows: [{ id: 1 }, { id: 2, code: 'X' }] }) as unknown as { rows: Array<{ id: number }> },
    },
    { checkOutputs: true, log: (l) => lines.push(JSON.stringify(l)) },
  );
  const ctx = { transport: 'test' } as const;

  it('normalises strings to NFC before the handler', async () => {
    const r = await dispatch('demo.echo', { name: 'Nguyễn'.normalize('NFD') }, ctx);
    expect(r).toEqual({ ok: true, value: { name: 'Nguyễn' } });
  });

  it('rejects extra keys, wrong types and over-long strings', async () => {
    for (const bad of [{ name: 'a', extra: 1 }, { name: 5 }, { name: 'x'.repeat(11) }, null, 'str']) {
      const r = await dispatch('demo.echo', bad, ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'INPUT_INVALID' } });
    }
  });

  it('refuses unknown methods, including prototype names', async () => {
    for (const m of ['nope', '__proto__', 'constructor', 'toString']) {
      expect(await dispatch(m, {}, ctx)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('keeps the code and Vietnamese text of an AppError', async () => {
    expect(await dispatch('demo.fail', {}, ctx)).toEqual({ ok: false, error: { code: 'TOKEN_PIN_INCORRECT', message: 'Mã PIN không đúng.', data: { finalTry: true } } });
  });

  it('hides unexpected errors behind INTERNAL and logs them', async () => {
    const r = await dispatch('demo.crash', {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(r)).not.toContain('secret internal detail');
    expect(lines.join('\n')).toContain('secret internal detail');
  });

  it('catches output drift in checked mode', async () => {
    expect(await dispatch('demo.drift', {}, ctx)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('refuses an output field the schema does not declare, naming its path in the log', async () => {
    expect(await dispatch('demo.undeclared', {}, ctx)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(lines.join('\n')).toContain('fields its schema does not declare: rows[1].code');
  });
});
