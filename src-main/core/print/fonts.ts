import { fontBytes } from '../pdf/appearance/fonts';

/**
 * Liberation Serif (metric-compatible with Times New Roman, full Vietnamese coverage), the copy shipped
 * in resources/fonts: the same files the signature appearances use.
 */
export function loadSerifFont(weight: 'Regular' | 'Bold'): Uint8Array {
  return fontBytes(weight === 'Bold' ? 'bold' : 'regular');
}
