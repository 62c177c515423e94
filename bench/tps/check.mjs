// The end-of-run check: every acknowledged transaction is in the ledger, in the block and with
// the state it was acknowledged with. All of them, read back block by block through the query
// API in pages of 100 (the API's largest page), not a sample.
const PAGE = 100;
const CONCURRENT_BLOCKS = 4;

/**
 * `acknowledged`: { transactionHash, blockHeight, state, blockHash? }. Resolves with the counts
 * checked; rejects listing the first transactions that were not found as acknowledged.
 */
export async function checkAcknowledged(client, ledger, acknowledged) {
  const byHeight = new Map();
  for (const ack of acknowledged) {
    const list = byHeight.get(ack.blockHeight) ?? [];
    list.push(ack);
    byHeight.set(ack.blockHeight, list);
  }
  const heights = [...byHeight.keys()].sort((a, b) => a - b);
  const problems = [];
  let requests = 0;
  let next = 0;
  const checkBlock = async (height) => {
    const recorded = new Map();
    for (let from = 0; ; from += PAGE) {
      const page = await client.data(`/ledgers/${ledger}/blocks/height/${height}/txs/additional-txs?fromIndex=${from}&count=${PAGE}`);
      requests += 1;
      for (const { result } of page) recorded.set(result.transactionHash, result);
      if (page.length < PAGE) break;
    }
    const acks = byHeight.get(height);
    const blockHash = acks.find((ack) => ack.blockHash !== undefined)?.blockHash;
    if (blockHash !== undefined) {
      const block = await client.data(`/ledgers/${ledger}/blocks/height/${height}`);
      requests += 1;
      if (block.hash !== blockHash) problems.push(`block ${height} is ${block.hash}, acknowledged as ${blockHash}`);
    }
    for (const ack of acks) {
      const result = recorded.get(ack.transactionHash);
      if (result === undefined) problems.push(`${ack.transactionHash} acknowledged in block ${height} is not there`);
      else if (result.executionState !== ack.state) problems.push(`${ack.transactionHash} acknowledged ${ack.state} reads ${result.executionState}`);
    }
  };
  await Promise.all(
    Array.from({ length: CONCURRENT_BLOCKS }, async () => {
      while (next < heights.length) await checkBlock(heights[next++]);
    }),
  );
  if (problems.length > 0) throw new Error(`${problems.length} acknowledged transactions do not read back:\n  ${problems.slice(0, 10).join('\n  ')}`);
  return { transactions: acknowledged.length, blocks: heights.length, requests };
}
