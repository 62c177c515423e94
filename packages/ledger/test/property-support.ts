/** Fixed fast-check seed for CI; override with JADECHAIN_SEED. */
export const SEED = Number(process.env['JADECHAIN_SEED'] ?? 0x1ed9e7);

/** Runs a property check, saying which seed to rerun with when it fails. */
export async function withSeed<T>(check: (seed: number) => Promise<T> | T): Promise<T> {
  try {
    return await check(SEED);
  } catch (error) {
    console.error(`property failed with seed ${SEED}; rerun with JADECHAIN_SEED=${SEED}`);
    throw error;
  }
}
