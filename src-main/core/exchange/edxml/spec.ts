import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as z from 'zod';
import { AppError } from '../../../contract/errors';
import { DEFAULT_LIMITS } from './limits';
import { mediaTypeOf } from './parse';
import type { DocumentPackage, StatusPackage } from './model';

/**
 * A build spec is the package model as JSON, except that each attachment names a file (`path`,
 * relative to the spec) instead of carrying bytes. The model itself is checked by the builder.
 */
const fileRef = z.looseObject({ path: z.string().min(1).max(4096), AttachmentName: z.string().optional(), ContentId: z.string().optional(), ContentType: z.string().optional() });
const specSchema = z.looseObject({ kind: z.enum(['edoc', 'status']), attachments: z.array(fileRef).max(DEFAULT_LIMITS.maxAttachments).optional() });

export function loadBuildSpec(specPath: string): DocumentPackage | StatusPackage {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(specPath, 'utf8'));
  } catch (e) {
    throw new AppError('INPUT_INVALID', 'Tệp mô tả gói tin không đọc được hoặc không phải JSON.', `spec ${specPath}: ${(e as Error).message}`);
  }
  const spec = specSchema.safeParse(raw);
  if (!spec.success) throw new AppError('INPUT_INVALID', 'Tệp mô tả gói tin thiếu "kind" hoặc danh sách tệp đính kèm sai.', `spec: ${spec.error.issues[0]?.message}`);
  if (spec.data.kind === 'status') return spec.data as unknown as StatusPackage;
  const base = dirname(resolve(specPath));
  const attachments = (spec.data.attachments ?? []).map((a, i) => {
    const file = resolve(base, a.path);
    if (statSync(file).size > DEFAULT_LIMITS.maxAttachmentBytes) throw new AppError('INPUT_INVALID', 'Tệp đính kèm vượt quá dung lượng cho phép.', `attachment ${file} too large`);
    const data = readFileSync(file);
    const { path: _path, ...rest } = a;
    const name = a.AttachmentName ?? file.split(/[\\/]/).pop()!;
    return { ContentId: a.ContentId ?? `att${i + 1}`, ContentType: a.ContentType ?? mediaTypeOf(name, data, undefined), ...rest, AttachmentName: name, data };
  });
  return { ...(spec.data as unknown as DocumentPackage), attachments };
}
