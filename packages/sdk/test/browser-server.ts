import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Serves the SDK to a browser without a bundler: the compiled ESM files of the workspace and of
 * node_modules as they are, and an import map that resolves every bare specifier the way Node's
 * ESM resolver does for a browser (package.json "exports" with the "browser", then "import",
 * then "default" condition; "module" or "main" otherwise). Each importing file gets its own
 * scope, so two versions of one package (sm-crypto-v2 brings its own @noble/*) coexist.
 */
const root = realpathSync(fileURLToPath(new URL('../../../../', import.meta.url)));
const CONDITIONS = ['browser', 'import', 'default'];
const IMPORT_PATTERN = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

function exportTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  for (const [condition, value] of Object.entries(entry)) {
    if (!CONDITIONS.includes(condition)) continue;
    const target = exportTarget(value);
    if (target !== undefined) return target;
  }
  return undefined;
}

function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`cannot find package ${name} from ${fromDir}`);
  }
}

/** The file a bare specifier names, seen from `fromFile`. */
function resolveBare(specifier: string, fromFile: string): string {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  const subpath = specifier.slice(name.length);
  const dir = packageDir(name, dirname(fromFile));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { exports?: unknown; module?: string; main?: string };
  let target: string | undefined;
  if (manifest.exports !== undefined) {
    const exportsMap = manifest.exports as Record<string, unknown>;
    const keyed = typeof exportsMap === 'object' && Object.keys(exportsMap).some((key) => key.startsWith('.'));
    target = exportTarget(keyed ? exportsMap[`.${subpath}`] : subpath === '' ? manifest.exports : undefined);
  } else {
    target = subpath === '' ? (manifest.module ?? manifest.main ?? 'index.js') : `.${subpath}`;
    if (extname(target) === '') target += '.js';
  }
  if (target === undefined) throw new Error(`${specifier} is not exported for browsers (from ${fromFile})`);
  return join(dir, target);
}

function urlOf(file: string): string {
  const path = relative(root, file);
  if (path.startsWith('..')) throw new Error(`${file} is outside the repository`);
  return `/${path.split(sep).join('/')}`;
}

/** The import map for these entry specifiers (resolved from this folder) and everything they import. */
export function importMapFor(entries: readonly string[]): { imports: Record<string, string>; scopes: Record<string, Record<string, string>> } {
  const here = fileURLToPath(import.meta.url);
  const imports = Object.fromEntries(entries.map((specifier) => [specifier, urlOf(resolveBare(specifier, here))]));
  const scopes: Record<string, Record<string, string>> = {};
  const pending = entries.map((specifier) => resolveBare(specifier, here));
  const seen = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier = ''] of readFileSync(file, 'utf8').matchAll(IMPORT_PATTERN)) {
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        pending.push(resolve(dirname(file), specifier));
        continue;
      }
      const target = resolveBare(specifier, file);
      (scopes[urlOf(file)] ??= {})[specifier] = urlOf(target);
      pending.push(target);
    }
  }
  return { imports, scopes };
}

const TYPES: Readonly<Record<string, string>> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json', '.html': 'text/html' };

/** A static server of the repository's files with `page` (HTML) at `/`; listens on a free loopback port. */
export async function serveRepository(page: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? '/').split('?', 1)[0] ?? '/');
    if (path === '/') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(page);
      return;
    }
    const file = resolve(root, `.${path}`);
    if (!file.startsWith(root + sep) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
