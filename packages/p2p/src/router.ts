import type { Connection } from './connection.js';
import { TransportError } from './errors.js';

/** Handles a one-way message; a throw or rejection is logged and counted, never sent back. */
export type MessageHandler = (body: Uint8Array, from: Connection) => void | Promise<void>;
/**
 * Answers a request. A throw or rejection is sent back as an ERROR frame carrying the error's
 * `code` when it is a wire code (upper case, digits, underscores), else HANDLER_FAILED.
 */
export type RequestHandler = (body: Uint8Array, from: Connection) => Uint8Array | Promise<Uint8Array>;

function checkChannel(channel: number): void {
  if (!Number.isInteger(channel) || channel < 0 || channel > 0xffff) {
    throw new TransportError('INVALID_OPTIONS', `channel ${channel} is not a u16`);
  }
}

/**
 * Which handler serves which channel. Channels (u16) multiplex one connection among the parts of
 * a node (transaction submission, consensus, block sync); each channel has at most one message
 * handler and one request handler, registered before connections open.
 */
export class Router {
  readonly #messageHandlers = new Map<number, MessageHandler>();
  readonly #requestHandlers = new Map<number, RequestHandler>();

  onMessage(channel: number, handler: MessageHandler): this {
    checkChannel(channel);
    if (this.#messageHandlers.has(channel)) throw new TransportError('INVALID_OPTIONS', `channel ${channel} already has a message handler`);
    this.#messageHandlers.set(channel, handler);
    return this;
  }

  onRequest(channel: number, handler: RequestHandler): this {
    checkChannel(channel);
    if (this.#requestHandlers.has(channel)) throw new TransportError('INVALID_OPTIONS', `channel ${channel} already has a request handler`);
    this.#requestHandlers.set(channel, handler);
    return this;
  }

  messageHandler(channel: number): MessageHandler | undefined {
    return this.#messageHandlers.get(channel);
  }

  requestHandler(channel: number): RequestHandler | undefined {
    return this.#requestHandlers.get(channel);
  }
}
