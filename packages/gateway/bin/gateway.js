#!/usr/bin/env node
// The gateway process: `gateway --config FILE` (the CLI's `jadechain gateway start` calls the same gatewayMain).
import { gatewayMain } from '../dist/src/index.js';

process.exit(await gatewayMain(process.argv.slice(2)));
