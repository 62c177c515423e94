// The subset of sodium-native (libsodium bindings, no bundled typings) that the node backend calls
// (node-ed25519.ts, node/hashes.ts).
declare module 'sodium-native' {
  const sodium: {
    crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
    crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
    crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
    crypto_hash_sha256(out: Uint8Array, input: Uint8Array): void;
    randombytes_buf(buffer: Uint8Array): void;
    sodium_memzero(buffer: Uint8Array): void;
  };
  export default sodium;
}
