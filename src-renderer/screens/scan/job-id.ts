/** A job id the screen picks so it can follow and cancel its own scan or OCR run (contract: jobId). */
export const newJobId = (): string => `j${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
