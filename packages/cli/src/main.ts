export async function main(_argv: readonly string[]): Promise<number> {
  console.log('jadechain');
  return 0;
}
