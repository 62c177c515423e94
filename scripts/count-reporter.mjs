// A Node test reporter that counts passed and failed tests (not suites) per file and writes the
// counts as JSON, for scripts/run-tests.mjs to check against each package's minimum.
export default async function* countReporter(source) {
  const counts = {};
  const bump = (file, key) => {
    const name = file ?? '(unknown)';
    counts[name] ??= { passed: 0, failed: 0 };
    counts[name][key] += 1;
  };
  for await (const event of source) {
    const data = event.data;
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (data.details?.type === 'suite') {
      // A suite that fails outside its tests (a hook, a load error) must still fail the run.
      if (event.type === 'test:fail' && data.details?.error?.failureType !== 'subtestsFailed') bump(data.file, 'failed');
      continue;
    }
    bump(data.file, event.type === 'test:pass' ? 'passed' : 'failed');
  }
  yield JSON.stringify(counts);
}
