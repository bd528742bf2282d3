// @ts-check
/** Where the proximity graph's nodes go: evenly on a circle, the first at the top, clockwise. Pure and deterministic. */

/**
 * @param {number} n nodes
 * @param {number} cx centre
 * @param {number} cy
 * @param {number} r radius
 * @returns {Array<{ x: number, y: number }>}
 */
export function circleLayout(n, cx, cy, r) {
  if (n === 1) return [{ x: cx, y: cy }];
  return Array.from({ length: n }, (_, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return { x: round(cx + r * Math.cos(angle)), y: round(cy + r * Math.sin(angle)) };
  });
}

/** @param {number} v two decimals keep the SVG short */
const round = (v) => Math.round(v * 100) / 100;
