/**
 * Text from the model or the scientist, made inert for a Markdown download: one line, HTML
 * escaped, and Markdown's link, image, emphasis, heading, code and table characters backslash-escaped.
 */
export const inert = (s: string) =>
  s
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)
    .replace(/[\\`*_[\]()!#|]/g, '\\$&');
