export { ApiError, SdkError, SubmitTimeoutError } from './errors.js';
export type { SdkErrorCode } from './errors.js';
export { NONCE_BYTES, TransactionBuilder, addSignatures } from './builder.js';
export type { TransactionBuilderOptions } from './builder.js';
export { GatewayClient } from './client.js';
export type { GatewayClientOptions, QueryParams, SubmitResult } from './client.js';
export { Values } from './values.js';
