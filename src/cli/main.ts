#!/usr/bin/env node
import { runProgram } from './output/io.js';
import { buildProgram } from './program.js';

await runProgram(buildProgram(), process.argv);
