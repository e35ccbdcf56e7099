/**
 * Plain page geometry shared by the layout finder, the placement rules, the signer and the services:
 * PDF user space, points, origin at the bottom left of the page. Pages are 0-based.
 */
export interface Rect { x: number; y: number; width: number; height: number }
export type PageRect = Rect & { page: number };

/** 1 mm in points (a PDF point is 1/72 inch). */
export const MM_TO_PT = 72 / 25.4;
