/** A minimal keep-alive HTTP JSON client for the bench's probes (not the load generator). */
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/** Answer of {@link postJson}. */
export interface JsonAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * POSTs `body` (serialized when not a string) and resolves with the status and text.
 * @throws {Error} on a network error
 */
export function postJson(url: string, body: unknown): Promise<JsonAnswer> {
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/**
 * GETs `url` and parses JSON.
 * @throws {Error} on a network error or a non-2xx answer
 */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
}
