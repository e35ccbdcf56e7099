/** Saves base64 content as a file through a Blob link (works the same in Electron and browser mode). */
export function downloadBase64(name: string, base64: string, mime = 'application/pdf'): string {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  return url;
}
