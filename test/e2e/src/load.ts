import { cryptoSuite, type Address, type HashDigest, type PrivKey } from '@jadechain/crypto';
import { GatewayClient, SubmitTimeoutError, TransactionBuilder, Values } from '@jadechain/sdk';

/** A transaction the gateway answered with a committed result. */
export interface Acknowledged {
  readonly hash: string;
  readonly key: string;
  readonly blockHeight: number;
  readonly state: string;
}

export interface LoadOptions {
  /** Submissions in flight at once; each worker submits, waits for the answer, pauses, repeats. */
  readonly workers: number;
  readonly pauseMs: number;
  /** How long one submission may take before the client gives up on it. */
  readonly requestTimeoutMs: number;
}

/**
 * A steady load of signed KV writes through the gateway: every transaction writes a new key
 * (`k<n>` = `v<n>`) of one data account. Each answer with a committed result is recorded as
 * acknowledged; a timeout or refusal is counted as unacknowledged (it may still commit).
 */
export class KvLoad {
  readonly acknowledged: Acknowledged[] = [];
  private unanswered = 0;
  private readonly failures = new Map<string, number>();
  private sequence = 0;
  private running = false;
  private workers: Promise<void>[] = [];
  private readonly client: GatewayClient;

  private constructor(
    gatewayUrl: string,
    private readonly ledger: HashDigest,
    private readonly signer: PrivKey,
    readonly account: Address,
    private readonly options: LoadOptions,
  ) {
    this.client = new GatewayClient(gatewayUrl, { requestTimeoutMs: options.requestTimeoutMs });
  }

  /** Registers the data account the load writes to (and waits for it to commit). */
  static async prepare(gatewayUrl: string, ledger: HashDigest, signer: PrivKey, options: LoadOptions): Promise<KvLoad> {
    const accountKey = cryptoSuite.generateKeyPair('ED25519').publicKey;
    const request = new TransactionBuilder({ ledgerHash: ledger }).registerDataAccount(accountKey).sign(cryptoSuite, [signer]);
    const result = await new GatewayClient(gatewayUrl).submitAndWait(request, { timeoutMs: 60_000 });
    if (result.state !== 'SUCCESS') throw new Error(`registering the load's data account ended ${result.state}`);
    return new KvLoad(gatewayUrl, ledger, signer, accountKey.address(), options);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.workers = Array.from({ length: this.options.workers }, () => this.work());
  }

  /** Stops submitting and waits for the submissions in flight to be answered. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  get unacknowledged(): number {
    return this.unanswered;
  }

  /** Why submissions went unacknowledged, by error name and code. */
  get failureCounts(): ReadonlyMap<string, number> {
    return this.failures;
  }

  private async work(): Promise<void> {
    while (this.running) {
      const n = this.sequence++;
      const key = `k${n}`;
      const request = new TransactionBuilder({ ledgerHash: this.ledger }).setKv(this.account, key, Values.text(`v${n}`)).sign(cryptoSuite, [this.signer]);
      try {
        const result = await this.client.submit(request);
        this.acknowledged.push({ hash: result.transactionHash, key, blockHeight: result.blockHeight, state: result.state });
      } catch (error) {
        this.unanswered += 1;
        const reason = error instanceof SubmitTimeoutError ? 'TIMEOUT' : describe(error);
        this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs));
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return code === undefined ? error.name : `${error.name}:${String(code)}`;
}
