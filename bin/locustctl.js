#!/usr/bin/env node
// The locustctl command: the compiled CLI in dist/ (built by `npm run build`, which `npm install`
// runs through the prepare script).
import '../dist/cli/main.js';
