/** Keys whose values never reach a log line, whatever the nesting. */
const SENSITIVE_KEY = /(authorization|cookie|api_?key|apikey|secret|password|passphrase|token|x-session-id|^key$|_key$)/i;

/** Key-shaped strings that may hide inside messages or URLs. */
const SECRET_PATTERNS: RegExp[] = [
  /\bBearer\s+[\w.~+/=-]+/gi,
  /\bsk-[\w-]{8,}/g, // OpenAI / OpenRouter style keys
  /\blc_[\w-]{16,}/g, // Labcoat issued keys
  /\b(api_?key|key|token|secret)=[^&\s"]+/gi,
];

export const REDACTED = '[redacted]';

export function scrubString(text: string): string {
  return SECRET_PATTERNS.reduce((acc, pattern) => acc.replace(pattern, (m) => (m.includes('=') ? `${m.split('=')[0]}=${REDACTED}` : REDACTED)), text);
}

/** A copy of a log object with secret-named fields replaced and key-shaped strings scrubbed. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (depth > 8 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value instanceof Error) return redactDeep({ type: value.name, message: value.message, stack: value.stack }, depth);
  // Objects with a class (pino-http's raw request and response) reach their serializers, which
  // keep only safe fields; walking them here copied a whole ServerResponse on every request.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE_KEY.test(k) && v !== undefined && v !== null && typeof v !== 'number' && typeof v !== 'boolean' ? REDACTED : redactDeep(v, depth + 1);
  }
  return out;
}
