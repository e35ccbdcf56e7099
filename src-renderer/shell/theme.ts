import type { ThemeConfig } from 'antd';

/**
 * One font stack for every control, text areas included: sans faces that carry the Vietnamese
 * stacked diacritics on Windows (Segoe UI, Arial) and Linux (Noto Sans, Liberation Sans, DejaVu Sans).
 */
export const FONT_STACK = "'Segoe UI', 'Noto Sans', 'Liberation Sans', Arial, 'DejaVu Sans', sans-serif";

/** The state agency red; #8b0000 on white is 10:1, well above WCAG AA. */
export const BRAND = '#8b0000';

export const theme: ThemeConfig = {
  token: {
    fontFamily: FONT_STACK,
    fontSize: 15,
    colorPrimary: BRAND,
    colorLink: '#0b57a4',
    // antd's default red, green and amber texts are under 4.5:1 on white; these pass AA.
    colorError: '#c62828',
    colorSuccess: '#2e7d32',
    colorWarningText: '#8a4b00',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
    borderRadius: 4,
  },
  // A focused field in the brand red reads as an error: fields take the link blue instead.
  components: {
    Input: { activeBorderColor: '#0b57a4', hoverBorderColor: '#0b57a4' },
    InputNumber: { activeBorderColor: '#0b57a4', hoverBorderColor: '#0b57a4' },
    Select: { activeBorderColor: '#0b57a4', hoverBorderColor: '#0b57a4' },
    DatePicker: { activeBorderColor: '#0b57a4', hoverBorderColor: '#0b57a4' },
  },
};
