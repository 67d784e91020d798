import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { addRockOfAges, edgeStackName } from '../../src/rock-of-ages-app.js';
import type { RockOfAgesStack } from '../../src/rock-of-ages-stack.js';
import { readSettings } from '../../src/settings.js';

/** cdk.json's context (the feature flags), which `cdk synth` passes to the app and `new App()` does not read. */
const cdkJsonContext = (
  JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }
).context;

/**
 * Builds the app as `cdk synth` does, with the given context and no environment variables, hands it
 * over, and removes its cloud assembly afterwards. Synthesizing runs cdk-nag's checks, and any
 * unacknowledged finding throws.
 */
export function withApp<T>(context: Record<string, string>, use: (app: App, stack: RockOfAgesStack) => T): T {
  const outdir = mkdtempSync(join(tmpdir(), 'rock-of-ages-cdk-'));
  try {
    const app = new App({ context: { ...cdkJsonContext, ...context }, outdir });
    const stack = addRockOfAges(
      app,
      readSettings((key) => app.node.tryGetContext(key), {}),
    );
    return use(app, stack);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The main stack's template, and the ECS option's us-east-1 stack's when there is one. */
export function synthesizeTemplates(context: Record<string, string>): { template: Record<string, unknown>; edge?: Record<string, unknown> } {
  return withApp(context, (app, stack) => {
    const assembly = app.synth();
    const edge = assembly.stacks.find((each) => each.stackName === edgeStackName);
    return {
      template: assembly.getStackByName(stack.stackName).template as Record<string, unknown>,
      ...(edge === undefined ? {} : { edge: edge.template as Record<string, unknown> }),
    };
  });
}
