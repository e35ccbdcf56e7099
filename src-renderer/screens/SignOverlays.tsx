import type { PageRectDto, TextBoxDto } from '@contract/sign';
import { t } from '../i18n';
import { movedBy, textBoxRect, toPx } from '../pdf/geometry';
import type { RenderedPage } from '../pdf/pdfjs';
import { Draggable } from '../ui/Draggable';

export interface Positions { number?: TextBoxDto; day?: TextBoxDto; month?: TextBoxDto; seal?: PageRectDto }

/** The number, day, month and seal drawn where they will go on one page; each can be dragged. */
export function SignOverlays({ page, geo, positions, texts, onMove }: {
  page: number;
  geo: RenderedPage;
  positions: Positions;
  texts: { number: string; day: string; month: string };
  onMove: (key: keyof Positions, value: TextBoxDto | PageRectDto) => void;
}) {
  const boxes = (['number', 'day', 'month'] as const).flatMap((k) => {
    const b = positions[k];
    return b && b.page === page ? [{ k, b }] : [];
  });
  const seal = positions.seal && positions.seal.page === page ? positions.seal : null;
  return (
    <>
      {boxes.map(({ k, b }) => (
        <Draggable key={k} className={`overlay-text overlay-${k}`} label={t(`sign.overlay.${k}`)}
          rect={toPx(textBoxRect(b), geo.heightPt, geo.scale)}
          onMoved={(dx, dy) => onMove(k, movedBy(b, dx, dy, geo.scale))}>
          {texts[k]}
        </Draggable>
      ))}
      {seal && (
        <Draggable className="overlay-seal" label={t('sign.overlay.seal')} rect={toPx(seal, geo.heightPt, geo.scale)}
          onMoved={(dx, dy) => onMove('seal', movedBy(seal, dx, dy, geo.scale))} />
      )}
    </>
  );
}
