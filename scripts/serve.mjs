#!/usr/bin/env node
// serve.mjs — a tiny static server for dist/ (node:http only, no dependencies).
//
//   node scripts/serve.mjs [--port 8080] [--base /] [--dir dist] [--host 127.0.0.1]
//
// Serves the folder under a subpath (--base /lesson/ serves dist/index.html at /lesson/), as a static host
// such as GitHub Pages would. Port: --port, else env PORT, else 8080 (0 picks a free one). Folder: --dir,
// else env BNKATA_DIST_DIR, else dist. Only files inside the folder are ever served: a path that
// resolves (through .., encoded slashes or symlinks) outside it gets 404.
//
// Also a module: startServer({ dir, base, port, host }) → { server, url, close() } (the browser tests use it).
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

// "/lesson" or "lesson/" → "/lesson/"; "" → "/".
export function normalizeBase(base = '/') {
  const trimmed = String(base).replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

// The file under `dir` that a request path names, or null when it names nothing inside dir.
async function resolveFile(dir, base, urlPath) {
  if (!urlPath.startsWith(base)) return null;
  let relative;
  try {
    relative = decodeURIComponent(urlPath.slice(base.length));
  } catch {
    return null;  // malformed %-escape
  }
  if (relative.includes('\0') || relative.includes('\\')) return null;
  let file = path.resolve(dir, '.' + path.posix.normalize('/' + relative));
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
    const real = await realpath(file);
    if (real !== dir && !real.startsWith(dir + path.sep)) return null;
    if (!(await stat(real)).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

export async function startServer({ dir = process.env.BNKATA_DIST_DIR || path.join(root, 'dist'), base = '/', port = 8080, host = '127.0.0.1' } = {}) {
  const servedDir = await realpath(path.resolve(root, dir));
  const prefix = normalizeBase(base);
  const server = createServer(async (request, response) => {
    const send = (status, text, headers = {}) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
      response.end(request.method === 'HEAD' ? undefined : text);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(405, 'method not allowed\n', { allow: 'GET, HEAD' });
    const urlPath = new URL(request.url, 'http://localhost').pathname;
    if (urlPath + '/' === prefix) return send(301, 'moved\n', { location: prefix });  // /lesson → /lesson/
    const file = await resolveFile(servedDir, prefix, urlPath);
    if (!file) return send(404, 'not found\n');
    const { size } = await stat(file);
    response.writeHead(200, {
      'content-type': MIME_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
      'content-length': size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (request.method === 'HEAD') return response.end();
    createReadStream(file).on('error', () => response.destroy()).pipe(response);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}${prefix}`;
  const close = () => new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
  return { server, url, close, dir: servedDir };
}

function parseArgs(argv) {
  const options = { port: Number(process.env.PORT || 8080), base: '/', host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (flag === '--port') options.port = Number(value());
    else if (flag === '--base') options.base = value();
    else if (flag === '--dir') options.dir = value();
    else if (flag === '--host') options.host = value();
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: node scripts/serve.mjs [--port 8080] [--base /] [--dir dist] [--host 127.0.0.1]  (env: PORT, BNKATA_DIST_DIR)');
      process.exit(0);
    } else {
      console.error(`serve: unknown argument ${JSON.stringify(argv[i])} (try --help)`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) {
    console.error('serve: --port (or PORT) must be an integer from 0 to 65535');
    process.exit(2);
  }
  return options;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  startServer(options).then(({ url, dir }) => {
    console.log(`serving ${path.relative(process.cwd(), dir) || '.'}/ at ${url}  (Ctrl-C stops)`);
  }, (error) => {
    console.error(`serve: ${error.code === 'EADDRINUSE' ? `port ${options.port} is in use; pick another with --port or PORT` : error.message}`);
    process.exit(1);
  });
}
