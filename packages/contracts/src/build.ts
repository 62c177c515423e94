import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { ContractError, ContractToolErrorCode } from './errors.js';

export interface BuiltContract {
  /** The deployable module: one CommonJS-style script, deterministic for the same sources. */
  readonly code: string;
  /** Module ids bundled, entry first (paths relative to the entry's folder). */
  readonly modules: readonly string[];
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2020,
  strict: true,
  removeComments: true,
  verbatimModuleSyntax: false,
};

const REQUIRE_CALL = /\brequire\("([^"]*)"\)/g;

/**
 * Builds a contract: transpiles the entry (`.ts` or `.js`) and every module it imports by a
 * relative path with TypeScript's `transpileModule`, and inlines them into one script. Only
 * relative imports are allowed (a contract cannot reach packages at run time); type-only
 * imports such as the author kit's types disappear in transpilation.
 */
export function buildContract(entryFile: string): BuiltContract {
  const root = dirname(resolve(entryFile));
  const bodies = new Map<string, string>();
  const pending = [resolve(entryFile)];
  while (pending.length > 0) {
    const file = pending.shift() as string;
    const id = moduleId(root, file);
    if (bodies.has(id)) continue;
    const body = transpile(file).replace(REQUIRE_CALL, (_call, specifier: string) => {
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) {
        throw new ContractError(ContractToolErrorCode.UNSUPPORTED_IMPORT, `${id}: contracts may import only relative modules, not "${specifier}"`);
      }
      const target = resolveImport(dirname(file), specifier, id);
      pending.push(target);
      return `__require(${JSON.stringify(moduleId(root, target))})`;
    });
    bodies.set(id, body);
  }
  const modules = [...bodies.keys()];
  const table = modules.map((id) => `${JSON.stringify(id)}: function (module, exports, __require) {\n${bodies.get(id) ?? ''}\n}`).join(',\n');
  const code = [
    `var __modules = {\n${table}\n};`,
    'var __loaded = {};',
    'function __require(id) {',
    '  if (!Object.prototype.hasOwnProperty.call(__loaded, id)) {',
    '    var m = { exports: {} };',
    '    __loaded[id] = m;',
    '    __modules[id](m, m.exports, __require);',
    '  }',
    '  return __loaded[id].exports;',
    '}',
    `module.exports = __require(${JSON.stringify(modules[0])});`,
  ].join('\n');
  return { code, modules };
}

function moduleId(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

function transpile(file: string): string {
  const source = readFileSync(file, 'utf8');
  const output = ts.transpileModule(source, { compilerOptions: COMPILER_OPTIONS, fileName: file, reportDiagnostics: true });
  const errors = (output.diagnostics ?? []).filter((diagnostic) => diagnostic.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) {
    const text = errors.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')).join('; ');
    throw new ContractError(ContractToolErrorCode.BUILD_FAILED, `${file}: ${text}`);
  }
  return output.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, '');
}

/** `./x.js` may name `x.ts` (ESM style); `./x` may name `x.ts`, `x.js` or `x/index.ts`. */
function resolveImport(fromDir: string, specifier: string, importer: string): string {
  const base = join(fromDir, specifier);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}.js`, join(base, 'index.ts'), join(base, 'index.js')];
  const found = candidates.find((candidate) => /\.[jt]s$/.test(candidate) && existsSync(candidate));
  if (found === undefined) throw new ContractError(ContractToolErrorCode.BUILD_FAILED, `${importer}: cannot find "${specifier}"`);
  return found;
}
