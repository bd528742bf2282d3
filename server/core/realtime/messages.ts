import { z } from 'zod';

/** Messages the server pushes on a topic (the hub adds `topic`). */
export type ServerMessage =
  | { type: 'progress'; step: string; done: number; total: number; message?: string; eta_s?: number | null }
  | { type: 'event'; kind: string; [payload: string]: unknown }
  | { type: 'status'; state: string; queue_position?: number | null; eta_s?: number | null; [extra: string]: unknown }
  | { type: 'error'; error: { code: string; message: string } };

/** Messages a client may send on /ws. Anything else gets an `invalid_message` error. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), topic: z.string().max(128) }),
  z.object({ type: z.literal('unsubscribe'), topic: z.string().max(128) }),
  z.object({ type: z.literal('ping') }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

export function errorMessage(code: string, message: string, topic?: string): string {
  return JSON.stringify({ type: 'error', ...(topic ? { topic } : {}), error: { code, message } });
}

/** The first message on every live connection, whatever the transport. */
export function helloMessage(version: string, heartbeatMs: number, transport: 'ws' | 'sse'): string {
  return JSON.stringify({ type: 'hello', version, heartbeat_s: Math.round(heartbeatMs / 1000), transport });
}
