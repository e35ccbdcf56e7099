import type { FormInstance } from 'antd';
import type { z } from 'zod';
import { t } from '../i18n';

type Path = Array<string | number>;

/** One Vietnamese sentence per zod issue, naming the field as the form labels it. */
export function issueText(issue: z.core.$ZodIssue, label: string): string {
  switch (issue.code) {
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? t('form.required', { field: label }) : t('form.tooSmall', { field: label, min: String(issue.minimum) });
    case 'too_big':
      return t('form.tooBig', { field: label, max: String(issue.maximum) });
    default:
      return t('form.invalid', { field: label });
  }
}

/**
 * Puts each error at its field, then focuses the first one: the clerk sees what to fix where it is,
 * never a sentence under the button. `name` maps an issue path to the form's field name (or null when
 * the issue has no field on this form, then it comes back for a general message).
 */
export function showIssues(form: FormInstance, issues: readonly z.core.$ZodIssue[], fieldOf: (path: Path) => { name: Path; label: string } | null): string[] {
  const byField = new Map<string, { name: Path; errors: string[] }>();
  const general: string[] = [];
  for (const issue of issues) {
    const f = fieldOf(issue.path as Path);
    if (!f) {
      general.push(issue.message);
      continue;
    }
    const key = f.name.join('.');
    const entry = byField.get(key) ?? { name: f.name, errors: [] };
    entry.errors.push(issueText(issue, f.label));
    byField.set(key, entry);
  }
  const fields = [...byField.values()];
  form.setFields(fields.map((f) => ({ name: f.name, errors: f.errors })));
  if (fields[0]) form.focusField(fields[0].name);
  return general;
}
