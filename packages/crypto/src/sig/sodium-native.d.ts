// The subset of sodium-native (libsodium bindings, no bundled typings) that node-ed25519.ts calls.
declare module 'sodium-native' {
  const sodium: {
    crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
    crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
    crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
    randombytes_buf(buffer: Uint8Array): void;
    sodium_memzero(buffer: Uint8Array): void;
  };
  export default sodium;
}
