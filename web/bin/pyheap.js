#!/usr/bin/env node
// pyheap — the package's command (package.json "bin"): see web/cli.js.
import '../cli.js';
