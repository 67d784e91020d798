import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { RockOfAgesStack } from './rock-of-ages-stack.js';
import type { InfraSettings } from './settings.js';

export const stackName = 'RockOfAges';

/**
 * Adds the environment to an app, checked by cdk-nag's AwsSolutions rules: synthesis fails on any
 * finding that is neither fixed nor acknowledged with a reason.
 */
export function addRockOfAges(app: App, settings: InfraSettings): RockOfAgesStack {
  const stack = new RockOfAgesStack(app, stackName, {
    // Region only: without an account the app makes no lookups and synthesizes offline.
    env: { region: settings.region },
    description: 'Rock of Ages: RDS PostgreSQL, the API host, ECR, GitHub OIDC deploy role, client hosting',
    settings,
  });
  Tags.of(stack).add('project', 'rock-of-ages');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
