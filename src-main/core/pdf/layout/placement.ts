/**
 * Where the issuing signatures go, decided once: what the screen proposes (sign.inspect) and what the
 * signer signs (issuePdf) both come from here, so the clerk never approves one place and gets another.
 * The rules are in docs/signing.md ("Placement").
 */
import { AppError } from '../../../contract/errors';
import { textWidth } from '../appearance/text';
import type { FontFace } from '../appearance/fonts';
import { findDateGaps, findNumberGap, locateSignerBlock, signatureRectInBlock, type Gap } from './decree30';
import { MM_TO_PT, type PageRect } from './geometry';
import type { TextLine } from './text-lines';

/** A box for one line of text: page, left x, width, baseline (points) and font size. */
export interface TextBox { page: number; x: number; width: number; baseline: number; size: number }
/** A place to write text: page, left x and baseline (points), font size. */
export interface TextSpot { page: number; x: number; baseline: number; size: number }

/** The faces the issuing flow writes with: the number upright, day and month italic (Phụ lục I). */
export const ISSUE_FACE: Record<'number' | 'day' | 'month', FontFace> = { number: 'regular', day: 'italic', month: 'italic' };
/** The leader image's width / height when the leader's signature is invisible (as approvePdf draws it). */
export const SIGNATURE_IMAGE_ASPECT = 2.5;

/** The blanks of page 1 as boxes: after "Số:", and the day and month of the date line (with the printed year). */
export function issueBoxes(firstPageLines: readonly TextLine[]): { number: TextBox | null; day: TextBox | null; month: TextBox | null; year: number | undefined } {
  const numberGap = findNumberGap(firstPageLines);
  const dateGaps = findDateGaps(firstPageLines);
  return {
    number: numberGap ? boxOf(numberGap) : null,
    day: dateGaps ? boxOf(dateGaps.day) : null,
    month: dateGaps ? boxOf(dateGaps.month) : null,
    year: dateGaps?.year,
  };
}

function boxOf(g: Gap): TextBox {
  return { page: g.page, x: g.x0, width: g.x1 - g.x0, baseline: g.baseline, size: g.size };
}

/** Text centred in its box; refused when it does not fit (a point of slack for rounding). */
export function centreText(box: TextBox, text: string, face: FontFace): TextSpot {
  const width = textWidth(text, box.size, face);
  if (width > box.width + 1) {
    throw new AppError('INPUT_INVALID', `Chỗ trống để ghi "${text}" quá hẹp; hãy chỉ định vị trí.`, `box ${box.width} < text ${width}`);
  }
  return { page: box.page, x: box.x + box.width / 2 - width / 2, baseline: box.baseline, size: box.size };
}

/** The leader's visible widget, when it has an area (invisible signatures have a zero rect). */
export interface LeaderWidget { page: number; rect: { x: number; y: number; width: number; height: number } }

/**
 * The leader's image: the visible widget of the leader's signature, or else the rect approvePdf would
 * have drawn in the signer block found by the printed name (searched from the last page back).
 */
export async function leaderImage(pdf: Uint8Array, widget: LeaderWidget | null | undefined, signerName: string | null | undefined): Promise<PageRect | null> {
  if (widget && widget.rect.width > 1 && widget.rect.height > 1) return { page: widget.page, ...widget.rect };
  const block = signerName ? await locateSignerBlock(pdf, signerName) : null;
  return block ? { page: block.page, ...signatureRectInBlock(block, SIGNATURE_IMAGE_ASPECT) } : null;
}

/**
 * The seal: a square of the real diameter whose right edge sits at one third of the leader's image,
 * centred on it vertically, so it covers about the left third of the image (Phụ lục I, ô 8).
 */
export function sealOver(image: PageRect, sealMm: number): PageRect {
  const s = sealMm * MM_TO_PT;
  return { page: image.page, x: image.x + image.width / 3 - s, y: image.y + image.height / 2 - s / 2, width: s, height: s };
}
