#!/usr/bin/env node
// The peer process: `peer --config FILE` (the CLI's `jadechain peer start` calls the same peerMain).
import { peerMain } from '../dist/src/index.js';

process.exit(await peerMain(process.argv.slice(2)));
