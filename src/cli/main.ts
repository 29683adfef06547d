#!/usr/bin/env node
/*
 * The `cdk-federated-access` command shipped with the package (package.json `bin`).
 * `npx cdk-federated-access client-config --outputs cdk-outputs.json --stack NotesApp > amplify_outputs.json`
 */
import { run } from './client-config-command';

process.exitCode = run(process.argv.slice(2));
