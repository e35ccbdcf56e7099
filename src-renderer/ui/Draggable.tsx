import { useRef, useState, type PointerEvent, type ReactNode } from 'react';
import type { PxRect } from '../pdf/geometry';

/**
 * A box over a rendered page that the clerk drags with the mouse (or a finger). It reports the whole
 * move once, on release, in screen pixels; the caller converts that back to PDF points.
 */
export function Draggable({ rect, className, label, onMoved, children }: {
  rect: PxRect;
  className: string;
  label: string;
  onMoved: (dxPx: number, dyPx: number) => void;
  children?: ReactNode;
}) {
  const start = useRef<{ x: number; y: number } | null>(null);
  const [drag, setDrag] = useState({ dx: 0, dy: 0 });

  const down = (e: PointerEvent<HTMLDivElement>) => {
    e.currentTarget.setPointerCapture(e.pointerId);
    start.current = { x: e.clientX, y: e.clientY };
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    if (start.current) setDrag({ dx: e.clientX - start.current.x, dy: e.clientY - start.current.y });
  };
  const up = (e: PointerEvent<HTMLDivElement>) => {
    if (!start.current) return;
    const dx = e.clientX - start.current.x;
    const dy = e.clientY - start.current.y;
    start.current = null;
    setDrag({ dx: 0, dy: 0 });
    if (dx !== 0 || dy !== 0) onMoved(dx, dy);
  };

  return (
    <div
      className={`draggable ${className}`}
      role="button"
      aria-label={label}
      title={label}
      ref={(el) => {
        // Positions are set through the CSSOM (allowed by the CSP), never as an inline style attribute.
        if (!el) return;
        el.style.left = `${rect.left + drag.dx}px`;
        el.style.top = `${rect.top + drag.dy}px`;
        el.style.width = `${rect.width}px`;
        el.style.height = `${rect.height}px`;
      }}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={() => {
        start.current = null;
        setDrag({ dx: 0, dy: 0 });
      }}
    >
      {children}
    </div>
  );
}
