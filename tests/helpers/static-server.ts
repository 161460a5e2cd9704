/**
 * A tiny static file server for the browser tests: serves a built site (dist/ by default) on 127.0.0.1 with a
 * free port, like a static host would: `/x/` is `/x/index.html`, `/x` (a folder) redirects to `/x/`, the
 * content type comes from the extension, anything else is a 404, and no path can escape the root.
 */
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHttpServer } from '../../dev/emulators/http-server.ts';

/** The project root (two folders up from tests/helpers/). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webp': 'image/webp',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.ics': 'text/calendar; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  // Papers' mirrored files (content/<edition>/files/).
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.odp': 'application/vnd.oasis.opendocument.presentation',
  '.key': 'application/vnd.apple.keynote',
  '.woff2': 'font/woff2',
};

export interface StaticServer {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:40123/`. */
  url: string;
  /** Stops the server (open keep-alive connections included). */
  close: () => Promise<void>;
}

async function statOrNull(file: string): Promise<Stats | null> {
  try {
    return await stat(file);
  } catch {
    return null;
  }
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

/** Serves `root` (absolute, or relative to the project root; default `dist`) until `close()`. */
export async function startStaticServer(root = 'dist'): Promise<StaticServer> {
  const rootDir = path.resolve(PROJECT_ROOT, root);
  const rootStat = await statOrNull(rootDir);
  if (!rootStat?.isDirectory()) throw new Error(`static server: ${rootDir} is not a folder`);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
      return;
    }
    const requestUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
    let pathname: string;
    try {
      pathname = decodeURIComponent(requestUrl.pathname);
    } catch {
      sendText(res, 400, 'Bad request');
      return;
    }
    if (pathname.includes('\0')) {
      sendText(res, 400, 'Bad request');
      return;
    }
    // Resolve inside the root: anything that would land outside (`..`, encoded or not) is not found.
    let file = path.resolve(rootDir, `.${path.posix.normalize(`/${pathname}`)}`);
    if (file !== rootDir && !file.startsWith(rootDir + path.sep)) {
      sendText(res, 404, 'Not found');
      return;
    }
    let info = await statOrNull(file);
    if (info?.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { Location: `${requestUrl.pathname}/${requestUrl.search}` });
        res.end();
        return;
      }
      file = path.join(file, 'index.html');
      info = await statOrNull(file);
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()];
    if (!info?.isFile() || !type) {
      sendText(res, 404, 'Not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(info.size), 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  }

  const server = await startHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendText(res, 500, String(error));
      else res.destroy();
    });
  });
  return { url: `${server.origin}/`, close: () => server.close() };
}
