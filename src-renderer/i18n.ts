import vi from '@resources/i18n/vi.json';
import { VIETNAM_TIME_ZONE } from '@contract/time';

/** Every UI string comes from the catalogue: raw text in JSX is refused by a test. */
export type MessageKey = keyof typeof vi;

export function t(key: MessageKey, vars?: Record<string, string | number>): string {
  const template: string = vi[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (name in vars ? String(vars[name]) : `{${name}}`));
}

const dateFmt = new Intl.DateTimeFormat('vi-VN', { timeZone: VIETNAM_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
export function formatDate(iso: string): string {
  return dateFmt.format(new Date(iso));
}
