/**
 * Reading a review body defensively: bounded in size (stop reading past the bound instead of
 * buffering whatever a client sends), strict UTF-8, JSON, and bounded nesting (so the recursive
 * validators never see a structure deep enough to exhaust the stack).
 */
import type { IncomingMessage } from 'node:http';

/** The API server's own limit on a request body (3 MiB): no genuine review is larger. */
export const defaultMaxBodyBytes = 3 * 1024 * 1024;

/**
 * Deeper than any LocustTest can legitimately be (its schema has no free-form fields; the deepest
 * paths, managedFields included, are a few dozen levels), far below what exhausts the stack.
 */
export const maxJsonDepth = 200;

/** A body read, or why not: a status to answer, or `aborted` when the client went away. */
export type BodyResult =
  | { readonly ok: true; readonly value: unknown; readonly bytes: number }
  | { readonly ok: false; readonly status: 400 | 413; readonly message: string }
  | { readonly ok: false; readonly status: 'aborted'; readonly message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function tooLarge(maxBytes: number): BodyResult {
  return {
    ok: false,
    status: 413,
    message: `request body exceeds the limit of ${String(maxBytes)} bytes`,
  };
}

/** The declared Content-Length, or undefined if absent or unparsable (Node rejects the latter). */
function declaredLength(request: IncomingMessage): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined || !/^\d+$/.test(header)) return undefined;
  return Number(header);
}

/** Reads the raw bytes, giving up (and leaving the rest unread) once more than maxBytes arrive. */
function readBytes(request: IncomingMessage, maxBytes: number): Promise<Buffer | BodyResult> {
  const declared = declaredLength(request);
  if (declared !== undefined && declared > maxBytes) return Promise.resolve(tooLarge(maxBytes));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (result: Buffer | BodyResult): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onGone);
      request.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      total += chunk.length;
      if (total > maxBytes) {
        // Stop pulling bytes: the caller answers 413 and closes the connection.
        request.pause();
        chunks.length = 0;
        finish(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      finish(Buffer.concat(chunks, total));
    };
    const onGone = (): void => {
      finish({ ok: false, status: 'aborted', message: 'client closed the connection' });
    };
    const onClose = (): void => {
      if (!request.complete) onGone();
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onGone);
    request.on('close', onClose);
  });
}

/** The nesting depth of a decoded JSON value, or Infinity once it passes `limit`. Iterative. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [current, depth] = entry;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return Infinity;
    deepest = Math.max(deepest, depth);
    const children: unknown[] = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/**
 * Reads and decodes a JSON body of at most `maxBytes`: 413 past the bound (without reading the
 * rest), 400 for invalid UTF-8, invalid JSON or nesting deeper than {@link maxJsonDepth}.
 */
export async function readJsonBody(
  request: IncomingMessage,
  maxBytes: number = defaultMaxBodyBytes,
): Promise<BodyResult> {
  const raw = await readBytes(request, maxBytes);
  if (!Buffer.isBuffer(raw)) return raw;
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    return { ok: false, status: 400, message: 'request body is not valid UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message.slice(0, 200) : 'invalid';
    return { ok: false, status: 400, message: `request body is not valid JSON: ${detail}` };
  }
  if (jsonDepth(value, maxJsonDepth) > maxJsonDepth) {
    return {
      ok: false,
      status: 400,
      message: `request body is nested deeper than ${String(maxJsonDepth)} levels`,
    };
  }
  return { ok: true, value, bytes: raw.length };
}
