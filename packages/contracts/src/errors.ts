/**
 * Error codes of a contract invocation. Every failure of a contract ends with exactly one of
 * these, the same on every peer, so they are recorded in transaction results and compared.
 */
export const ContractErrorCode = Object.freeze({
  /** The gas limit was reached (instructions, host calls or bytes). */
  OUT_OF_GAS: 'OUT_OF_GAS',
  /** The contract ran into the sandbox's memory limit. */
  MEMORY_LIMIT: 'MEMORY_LIMIT',
  /** JavaScript recursion exhausted the sandbox's stack. */
  STACK_OVERFLOW: 'STACK_OVERFLOW',
  /** Nested contract calls went deeper than the call-depth limit. */
  CALL_DEPTH_EXCEEDED: 'CALL_DEPTH_EXCEEDED',
  /** The contract touched a removed nondeterministic or escape facility (Date, Math.random, eval, Function, ...). */
  FORBIDDEN_API: 'FORBIDDEN_API',
  /** The code did not load (syntax error, or an exception while defining its exports). */
  CONTRACT_LOAD_FAILED: 'CONTRACT_LOAD_FAILED',
  /** The method is not an exported function of the contract. */
  METHOD_NOT_FOUND: 'METHOD_NOT_FOUND',
  /** The contract threw; the message and stack are the contract's own. */
  CONTRACT_THREW: 'CONTRACT_THREW',
  /** A value crossing the boundary has no typed form (float, function, cycle, too large, ...). */
  INVALID_VALUE: 'INVALID_VALUE',
  /** The called contract does not exist. */
  CONTRACT_DOES_NOT_EXIST: 'CONTRACT_DOES_NOT_EXIST',
} as const);
export type ContractErrorCode = (typeof ContractErrorCode)[keyof typeof ContractErrorCode];

/** A failure of the contract machinery visible to callers of this package (build, stubs, arguments). */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly code: ContractErrorCode | ContractToolErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Codes of the author tools (build step, stub generator), never of an invocation. */
export const ContractToolErrorCode = Object.freeze({
  BUILD_FAILED: 'BUILD_FAILED',
  UNSUPPORTED_IMPORT: 'UNSUPPORTED_IMPORT',
  STUB_FAILED: 'STUB_FAILED',
} as const);
export type ContractToolErrorCode = (typeof ContractToolErrorCode)[keyof typeof ContractToolErrorCode];

/**
 * A refusal by the ledger of something a contract asked for (permission, version conflict,
 * missing account). It reaches the contract as a catchable error carrying `code`.
 */
export class HostRefusal extends Error {
  override readonly name = 'HostRefusal';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
