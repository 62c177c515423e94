import { QuickJsContractExecutor } from './executor.js';

/**
 * The executor a peer opens its ledgers with: default limits, loaded once when this module is
 * first imported (the WebAssembly module loads asynchronously; the ledger runs synchronously).
 */
export const peerContractExecutor: QuickJsContractExecutor = await QuickJsContractExecutor.load();
