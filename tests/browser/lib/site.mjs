// site.mjs — where the built lesson is, and the two ways a learner opens it: over http from a static
// host under a subpath, and straight from disk over file://.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from '../../../scripts/serve.mjs';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

// The built site: env BNKATA_DIST_DIR (a helper's private build) or dist/. Throws, saying how to build
// it, when it has not been built.
export function distDir() {
  const dir = path.resolve(projectRoot, process.env.BNKATA_DIST_DIR || 'dist');
  if (!existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`${path.relative(projectRoot, dir)}/index.html not found: run node scripts/build-site.mjs first`);
  }
  return dir;
}

// Serves the built site under `base` on a free port of 127.0.0.1. Resolves to { url, origin, base, close }:
// url is the lesson's address (ending in base), close() stops the server.
export async function serveSite({ base = '/lesson/' } = {}) {
  const server = await startServer({ dir: distDir(), base, port: 0, host: '127.0.0.1' });
  const { origin, pathname } = new URL(server.url);
  return { url: server.url, origin, base: pathname, close: server.close };
}

// The file:// address of the built index.html, with an optional #fragment.
export function fileUrl(hash = '') {
  return pathToFileURL(path.join(distDir(), 'index.html')).href + hash;
}

// The prefix every request of a page loaded from `url` must start with to count as "its own files":
// the folder the page is in (http: origin + subpath; file: the dist folder).
export function ownPrefix(url) {
  const u = new URL(url);
  u.hash = '';
  u.search = '';
  return u.href.slice(0, u.href.lastIndexOf('/') + 1);
}
