// @ts-check
/**
 * The width of an element, followed as it changes, so an SVG can be drawn at its real size (its
 * text then stays readable on a phone instead of shrinking with a fixed viewBox).
 */
import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * @param {number} initial used until the first measurement
 * @returns {[import('preact').RefObject<HTMLElement>, number]}
 */
export function useWidth(initial) {
  const ref = useRef(/** @type {HTMLElement | null} */ (null));
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    let frame = 0;
    // Redrawn in the next frame, never inside the observer's callback (no "ResizeObserver loop" errors).
    const observer = new ResizeObserver(([entry]) => {
      cancelAnimationFrame(frame);
      const w = Math.round(entry?.contentRect.width ?? 0);
      if (w > 0) frame = requestAnimationFrame(() => setWidth(w));
    });
    observer.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, []);
  return [/** @type {import('preact').RefObject<HTMLElement>} */ (ref), width];
}
