import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen } from '../listen.js';

/** How a fake literature API answers, switchable between requests. */
export interface FakeLiteratureSwitches {
  /** 'ok': the corpus; 'empty': no results; 'malformed': a cut-off JSON body; 'html': a 503 HTML error page; 'wrong_shape': JSON of another shape. */
  mode: 'ok' | 'empty' | 'malformed' | 'html' | 'wrong_shape';
  /** Serve every record without its abstract. */
  noAbstracts: boolean;
}

export interface FakeLiterature<Corpus> {
  url: string;
  /** Each request's path with its query string, as the client sent it (still URL-encoded). */
  requests: string[];
  corpus: Corpus;
  switches: FakeLiteratureSwitches;
  close(): Promise<void>;
}

export type Answer = { status: number; contentType: string; body: string };

export const json = (status: number, value: unknown): Answer => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(value) });

const HTML_PAGE =
  '<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>\n<body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>\n';

/** A fake API on 127.0.0.1 (port 0) answering with `route` unless a switch says otherwise. */
export async function fakeLiteratureServer<Corpus>(
  corpus: Corpus,
  route: (url: URL, switches: FakeLiteratureSwitches) => Answer,
  wrongShape: unknown,
): Promise<FakeLiterature<Corpus>> {
  const requests: string[] = [];
  const switches: FakeLiteratureSwitches = { mode: 'ok', noAbstracts: false };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    requests.push(req.url ?? '');
    const answer: Answer =
      switches.mode === 'html'
        ? { status: 503, contentType: 'text/html', body: HTML_PAGE }
        : switches.mode === 'malformed'
          ? { status: 200, contentType: 'application/json', body: '{"results": [{"id": "https://openalex.org/W1", "title": "Cut o' }
          : switches.mode === 'wrong_shape'
            ? json(200, wrongShape)
            : route(new URL(req.url ?? '/', 'http://fake.invalid'), switches);
    res.writeHead(answer.status, { 'content-type': answer.contentType });
    res.end(answer.body);
  };
  const server = await listen(handler);
  return { url: server.url, requests, corpus, switches, close: server.close };
}

/** The query's words, lower-case, for a naive match against a record's text. */
export function matches(query: string, text: string): boolean {
  const words = query
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 2);
  const hay = text.toLowerCase();
  return words.length > 0 && words.some((w) => hay.includes(w));
}
