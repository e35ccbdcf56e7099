/**
 * antd writes its theme as <style> elements at run time, which the app's CSP (`style-src 'self'`)
 * refuses. Instead of loosening the CSP, antd writes into a holder that is never attached to the
 * document (a detached <style> is never applied, so the CSP never judges it) and every holder sheet is
 * mirrored into a constructable stylesheet: CSSOM, which the CSP allows, as it allows element.style.
 */
export function adoptedStyleHolder(doc: Document = document): HTMLElement {
  const holder = doc.createElement('div');
  const mirrored = new Map<HTMLStyleElement, { text: string; sheet: CSSStyleSheet }>();
  const own = new Set<CSSStyleSheet>();

  const sync = () => {
    const order: CSSStyleSheet[] = [];
    const seen = new Set<HTMLStyleElement>();
    for (const el of Array.from(holder.querySelectorAll('style'))) {
      seen.add(el);
      const text = el.textContent ?? '';
      let entry = mirrored.get(el);
      if (!entry) {
        entry = { text: '', sheet: new CSSStyleSheet() };
        mirrored.set(el, entry);
      }
      if (entry.text !== text) {
        entry.sheet.replaceSync(text);
        entry.text = text;
      }
      order.push(entry.sheet);
    }
    for (const el of Array.from(mirrored.keys())) if (!seen.has(el)) mirrored.delete(el);
    // Sheets adopted by someone else keep their place; ours follow in the holder's order.
    const others = doc.adoptedStyleSheets.filter((s) => !own.has(s));
    own.clear();
    for (const s of order) own.add(s);
    doc.adoptedStyleSheets = [...order, ...others];
  };

  new MutationObserver(sync).observe(holder, { childList: true, subtree: true, characterData: true });
  return holder;
}
