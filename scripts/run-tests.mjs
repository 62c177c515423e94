#!/usr/bin/env node
// Runs every workspace package's compiled tests with Node's test runner and fails when a package
// ran fewer tests than the minimum recorded in its package.json ("testMinimum"), so that a test
// file that silently stops loading, or a suite that shrinks, breaks the build.
//
// Usage: node scripts/run-tests.mjs [package-dir-substring ...]
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const filters = process.argv.slice(2);

function testFiles(dir, suffix = '.test.js') {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path, suffix));
    else if (entry.name.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

const packages = rootPkg.workspaces
  .filter((ws) => filters.length === 0 || filters.some((f) => ws.includes(f)))
  .map((ws) => {
    const dir = join(root, ws);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return { ws, dir, name: pkg.name, minimum: pkg.testMinimum ?? 1, alone: pkg.testAlone === true, files: testFiles(join(dir, 'dist', 'test')) };
  });
// The benchmark harness's own arithmetic (plain JavaScript beside the scripts, not a workspace).
if (filters.length === 0 || filters.some((f) => 'bench'.includes(f))) {
  const dir = join(root, 'bench');
  packages.push({ ws: 'bench', dir, name: 'bench (harness)', minimum: rootPkg.benchTestMinimum ?? 1, alone: false, files: testFiles(dir, '.test.mjs') });
}

const files = packages.flatMap((p) => p.files);
if (files.length === 0) {
  console.error('run-tests: no compiled test files found (did `tsc -b` run?)');
  process.exit(1);
}

// Packages marked "testAlone" (the multi-process network tests of test/e2e) run after the rest,
// one file at a time: their peers and gateway need the machine's cores to keep their timing.
const runs = [
  { files: packages.filter((p) => !p.alone).flatMap((p) => p.files), concurrency: 2 },
  { files: packages.filter((p) => p.alone).flatMap((p) => p.files), concurrency: 1 },
].filter((run) => run.files.length > 0);

const workDir = mkdtempSync(join(tmpdir(), 'jadechain-tests-'));
let status = 0;
const counts = {};
for (const [index, run] of runs.entries()) {
  const countsFile = join(workDir, `counts-${index}.json`);
  const result = spawnSync(
    process.execPath,
    [
      '--test',
      `--test-concurrency=${run.concurrency}`,
      '--test-timeout=300000',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      `--test-reporter=${join(root, 'scripts', 'count-reporter.mjs')}`,
      `--test-reporter-destination=${countsFile}`,
      ...run.files,
    ],
    { stdio: 'inherit', cwd: root, env: { ...process.env, JADECHAIN_TEST: '1' } },
  );
  if (result.status !== 0) status = result.status ?? 1;
  try {
    Object.assign(counts, JSON.parse(readFileSync(countsFile, 'utf8')));
  } catch {
    console.error('run-tests: the counting reporter wrote nothing');
  }
}
rmSync(workDir, { recursive: true, force: true });

let passed = 0;
let failed = 0;
let short = false;
console.log('\npackage                     files  passed  failed  minimum');
for (const p of packages) {
  let pkgPassed = 0;
  let pkgFailed = 0;
  for (const [file, c] of Object.entries(counts)) {
    if (file.startsWith(p.dir + '/')) {
      pkgPassed += c.passed;
      pkgFailed += c.failed;
    }
  }
  passed += pkgPassed;
  failed += pkgFailed;
  const flag = pkgPassed + pkgFailed < p.minimum ? '  <-- fewer tests ran than the minimum' : '';
  if (flag) short = true;
  console.log(
    `${p.name.padEnd(27)} ${String(p.files.length).padStart(5)} ${String(pkgPassed).padStart(7)} ${String(pkgFailed).padStart(7)} ${String(p.minimum).padStart(8)}${flag}`,
  );
}
const unattributed = Object.keys(counts).filter((f) => !packages.some((p) => f.startsWith(p.dir + '/')));
for (const f of unattributed) console.log(`(tests outside a package: ${relative(root, f)})`);
console.log(`\n${passed} passed, ${failed} failed`);
if (status !== 0 || failed > 0 || short) process.exit(1);
